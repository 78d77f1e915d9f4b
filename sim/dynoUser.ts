/**
 * Who dynos run as. Started as root, the simulator runs app processes as the unprivileged `nobody`
 * user (a Procfile is arbitrary code), which must be able to reach the slugs: the data folders the
 * simulator owns are opened for traversal only (0711, so nothing can be listed). When a folder above
 * them is private (a 0700 home, or the simulator's own private state folder), `<dataDir>/slugs`
 * becomes a link to a folder under /var/tmp/reconcile-dynos/ that `nobody` can traverse (0711, never
 * listed), and dynos start in the slug's real path. Only when that fails too do dynos stay root, and
 * the caller is told so.
 */
import { createHash } from "node:crypto"
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs"
import { dirname, join } from "node:path"
import type { DynoUser } from "./dynoProcess.ts"

const nobody = (): DynoUser => {
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith("nobody:"))
    const [, , uid, gid] = line?.split(":") ?? []
    if (uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) }
  } catch {
    // no passwd file: the conventional ids
  }
  return { uid: 65534, gid: 65534 }
}

/** The first folder above `dir` that others cannot traverse, or null when every one can be. */
const privateAncestor = (dir: string): string | null => {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return d
    if (d === dirname(d)) return null
  }
}

const relocatedRoot = "/var/tmp/reconcile-dynos"

/** Moves `<dataDir>/slugs` to a folder `nobody` can reach and links it back; throws when it cannot. */
const relocateSlugs = (dataDir: string): void => {
  mkdirSync(dataDir, { recursive: true })
  const target = join(
    relocatedRoot,
    createHash("sha256").update(realpathSync(dataDir)).digest("hex").slice(0, 16),
  )
  for (const d of [relocatedRoot, target, join(target, "slugs")]) {
    mkdirSync(d, { recursive: true })
    chmodSync(d, 0o711)
  }
  const blocked = privateAncestor(target)
  if (blocked !== null) throw new Error(`${blocked} is private too`)
  const link = join(dataDir, "slugs")
  const seen = (() => {
    try {
      return lstatSync(link)
    } catch {
      return null
    }
  })()
  if (seen?.isSymbolicLink() === true && readlinkSync(link) === join(target, "slugs")) return
  if (seen?.isDirectory() === true) {
    for (const name of readdirSync(link)) {
      const from = join(link, name)
      const to = join(target, "slugs", name)
      try {
        renameSync(from, to)
      } catch {
        cpSync(from, to, { recursive: true, verbatimSymlinks: true })
        rmSync(from, { recursive: true, force: true })
      }
    }
  }
  if (seen !== null) rmSync(link, { recursive: true, force: true })
  symlinkSync(join(target, "slugs"), link)
}

/**
 * The user dynos run as: null (this process's user) unless running as root. As root, opens `dataDir`
 * and its `slugs` folder for traversal (relocating the slugs when a folder above is private); `warn`
 * gets one line when that cannot suffice.
 */
export const dynoUser = (dataDir: string, warn: (line: string) => void): DynoUser | null => {
  if (process.getuid?.() !== 0) return null
  const blocked = privateAncestor(dataDir)
  if (blocked !== null) {
    try {
      relocateSlugs(dataDir)
      return nobody()
    } catch (e) {
      warn(
        `dynos run as root: the unprivileged user cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}) ` +
          `and the slugs could not move to ${relocatedRoot} (${e instanceof Error ? e.message : String(e)}); ` +
          "put the simulator's state outside it to run them as nobody",
      )
      return null
    }
  }
  for (const d of [dataDir, join(dataDir, "slugs")]) {
    mkdirSync(d, { recursive: true })
    chmodSync(d, 0o711)
  }
  return nobody()
}
