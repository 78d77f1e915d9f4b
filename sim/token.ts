/**
 * The simulator's API token for a state directory: random, created once, kept in `api-token`
 * (mode 0600) so only the user who owns the state can call the simulator (and through it run code
 * as that user), and so clients find it again after a restart.
 */
import { randomBytes } from "node:crypto"
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

export const tokenFile = (dir: string): string => join(dir, "api-token")

/** Reads the directory's token, creating it (0600) on first use. */
export const stateToken = (dir: string): string => {
  const file = tokenFile(dir)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    try {
      writeFileSync(file, `sim-${randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" })
    } catch (e) {
      // another process created it first: use theirs
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
    }
  }
  chmodSync(file, 0o600)
  const token = readFileSync(file, "utf8").trim()
  if (token === "") throw new Error(`${file} is empty; remove it to make a new simulator token`)
  return token
}
