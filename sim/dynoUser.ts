/**
 * Who dynos run as. Started as root, the simulator runs app processes as the unprivileged `nobody`
 * user (a Procfile is arbitrary code), which must be able to reach the slugs: the data folders the
 * simulator owns are opened for traversal only (0711, so nothing can be listed), and when a folder
 * above them is private (a 0700 home), dynos cannot be dropped to `nobody` and the caller is told so.
 */
import { chmodSync, mkdirSync, readFileSync, statSync } from "node:fs"
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

/**
 * The user dynos run as: null (this process's user) unless running as root. As root, opens `dataDir`
 * and its `slugs` folder for traversal; `warn` gets one line when that cannot suffice.
 */
export const dynoUser = (dataDir: string, warn: (line: string) => void): DynoUser | null => {
  if (process.getuid?.() !== 0) return null
  const blocked = privateAncestor(dataDir)
  if (blocked !== null) {
    warn(
      `dynos run as root: the unprivileged user cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}); ` +
        "put the simulator's state outside it to run them as nobody",
    )
    return null
  }
  for (const d of [dataDir, join(dataDir, "slugs")]) {
    mkdirSync(d, { recursive: true })
    chmodSync(d, 0o711)
  }
  return nobody()
}
