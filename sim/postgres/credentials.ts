/**
 * The embedded PostgreSQL's port and superuser credentials, kept in a 0600 JSON file beside its
 * data (`<dataDir>.credentials.json`), so a restart serves on the same port with the same password
 * and every add-on URL stored in the simulator's state keeps answering.
 */
import { randomBytes } from "node:crypto"
import { existsSync, readFileSync } from "node:fs"
import { chmod, writeFile } from "node:fs/promises"

export interface Credentials {
  readonly port: number
  readonly user: string
  readonly password: string
}

export const credentialsFile = (dataDir: string): string => `${dataDir}.credentials.json`

export const randomPassword = (): string => randomBytes(24).toString("base64url")

/** The saved credentials, if any (a damaged file is an error naming it). */
export const readCredentials = (file: string): Credentials | undefined => {
  if (!existsSync(file)) return undefined
  try {
    const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<Credentials>
    if (typeof raw.port === "number" && typeof raw.user === "string" && typeof raw.password === "string")
      return { port: raw.port, user: raw.user, password: raw.password }
  } catch {}
  throw new Error(`embedded PostgreSQL: ${file} is damaged; restore it or remove it with the data directory`)
}

export const writeCredentials = async (file: string, c: Credentials): Promise<void> => {
  await writeFile(file, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 })
  await chmod(file, 0o600)
}
