/**
 * Running the embedded PostgreSQL as root: PostgreSQL refuses to, so the server runs as the
 * `postgres` OS user (created when missing), who must be able to reach its binaries and its data.
 * A checkout under a private home (mode 0700, like /root) is out of its reach, so the binaries are
 * copied once per version, and the data placed, under /var/tmp/reconcile-postgres (mode 0755).
 */
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, statSync } from "node:fs"
import { chmod, mkdir } from "node:fs/promises"
import { dirname, join } from "node:path"

export const isRoot = (): boolean => process.getuid?.() === 0

/** The shared place, reachable by the postgres user, for what a private home would hide. */
export const sharedRoot = "/var/tmp/reconcile-postgres"

export interface Ids {
  readonly uid: number
  readonly gid: number
}

const idOf = (flag: "-u" | "-g"): number =>
  Number(
    execFileSync("id", [flag, "postgres"], { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim(),
  )

/** The postgres user's ids, creating the user when missing (as root only). */
export const postgresIds = (): Ids => {
  try {
    return { uid: idOf("-u"), gid: idOf("-g") }
  } catch {
    try {
      execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"], {
        stdio: "ignore",
      })
      return { uid: idOf("-u"), gid: idOf("-g") }
    } catch {
      throw new Error(
        "embedded PostgreSQL: running as root needs a `postgres` OS user and none could be created; create one (useradd --system postgres) or run as an ordinary user",
      )
    }
  }
}

/** Whether a user other than the owner ("others") can pass through every parent folder of `path`. */
export const othersCanReach = (path: string): boolean => {
  for (let d = dirname(path); d !== dirname(d); d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false
  }
  return true
}

/** The folder under the shared root named after `key` (the same key always names the same folder). */
export const sharedFolderPath = (key: string): string =>
  join(sharedRoot, createHash("sha256").update(key).digest("hex").slice(0, 16))

/** Where the data asked for at `requested` lives when it must be placed under the shared root. */
export const relocatedDataParent = (requested: string): string => sharedFolderPath(`data:${requested}`)

/** Creates (0755) and returns the shared folder named after `key`. */
export const sharedFolder = async (key: string): Promise<string> => {
  await mkdir(sharedRoot, { recursive: true, mode: 0o755 })
  await chmod(sharedRoot, 0o755)
  const dir = sharedFolderPath(key)
  await mkdir(dir, { recursive: true, mode: 0o755 })
  return dir
}
