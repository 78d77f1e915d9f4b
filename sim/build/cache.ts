/**
 * The dependency cache, one per app: the `node_modules` an install produced, kept under
 * `<dataDir>/cache/<app id>/<key>` where the key hashes the lockfile with the Node version and
 * platform. An unchanged lockfile restores it instead of installing; any other key replaces it.
 */
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, readFileSync } from "node:fs"
import { cp, mkdir, readdir, rename, rm } from "node:fs/promises"
import { join } from "node:path"

/** The cache key for a source tree's lockfile, or null without one (nothing is cached). */
export const cacheKey = (sourceDir: string): string | null => {
  const lockfile = join(sourceDir, "package-lock.json")
  if (!existsSync(lockfile)) return null
  return createHash("sha256")
    .update(`${process.version}\0${process.platform}\0${process.arch}\0`)
    .update(readFileSync(lockfile))
    .digest("hex")
    .slice(0, 32)
}

const appCache = (dataDir: string, appId: string) => join(dataDir, "cache", appId)

/** Copies a folder tree: the system's `cp -a` (several times faster than fs.cp), else fs.cp. */
const copyTree = async (from: string, to: string): Promise<void> => {
  const code = await new Promise<number | null>((ok) => {
    const child = spawn("cp", ["-a", from, to], { stdio: "ignore" })
    child.once("error", () => ok(null))
    child.once("close", ok)
  })
  if (code === 0) return
  await rm(to, { recursive: true, force: true })
  await cp(from, to, { recursive: true, verbatimSymlinks: true })
}

/** Copies the cached node_modules for `key` into `sourceDir`; false when there is none. */
export const restore = async (dataDir: string, appId: string, key: string, sourceDir: string) => {
  const cached = join(appCache(dataDir, appId), key, "node_modules")
  if (!existsSync(cached)) return false
  await rm(join(sourceDir, "node_modules"), { recursive: true, force: true })
  await copyTree(cached, join(sourceDir, "node_modules"))
  return true
}

/** Stores `sourceDir/node_modules` as the app's cache under `key`, dropping older keys. */
export const save = async (dataDir: string, appId: string, key: string, sourceDir: string) => {
  const dir = appCache(dataDir, appId)
  const modules = join(sourceDir, "node_modules")
  if (!existsSync(modules)) return
  const staging = join(dir, `.${key}.${process.pid}.tmp`)
  await rm(staging, { recursive: true, force: true })
  await mkdir(staging, { recursive: true })
  await copyTree(modules, join(staging, "node_modules"))
  await rm(join(dir, key), { recursive: true, force: true })
  await rename(staging, join(dir, key))
  for (const old of await readdir(dir))
    if (old !== key && !old.startsWith(".")) await rm(join(dir, old), { recursive: true, force: true })
}

/** Removes an app's cache (the app was deleted). */
export const dropCache = (dataDir: string, appId: string) =>
  rm(appCache(dataDir, appId), { recursive: true, force: true })
