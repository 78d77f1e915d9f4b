/**
 * Prisma's migrations folder: `<dir>/<name>/migration.sql`, applied in sorted name order, with
 * `migration_lock.toml` naming the provider. Checksums are SHA-256 of the file, matched with
 * Prisma's line-ending tolerance.
 */
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { PluginError } from "../../engine/errors.ts"

export interface MigrationFile {
  readonly name: string
  /** Path of migration.sql, for messages. */
  readonly file: string
  readonly sql: string
  readonly checksum: string
}

/** SHA-256 of a migration's text, 64 lowercase hex characters. */
export const checksumOf = (sql: string): string => createHash("sha256").update(sql).digest("hex")

/** True when a stored checksum matches the file as is, with CRLF → LF, or with LF → CRLF. */
export const checksumMatches = (stored: string, sql: string): boolean => {
  const lf = sql.replace(/\r\n/g, "\n")
  return [sql, lf, lf.replace(/\n/g, "\r\n")].some((text) => checksumOf(text) === stored)
}

const invalid = (detail: string) => new PluginError({ reason: "Invalid", detail })

/** Reads every migration of a folder, in order; a missing folder is an error. */
export const readMigrations = (dir: string): Effect.Effect<ReadonlyArray<MigrationFile>, PluginError> =>
  Effect.try({
    try: () => {
      const root = resolve(dir)
      const lockFile = join(root, "migration_lock.toml")
      if (existsSync(lockFile)) {
        const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockFile, "utf8"))?.[1]
        if (provider !== undefined && provider !== "postgresql") {
          throw invalid(`${lockFile}: provider is "${provider}", expected "postgresql" (Prisma P3019)`)
        }
      }
      const names = readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
      return names.map((name) => {
        if (Buffer.byteLength(name) > 200)
          throw invalid(`migration name longer than 200 bytes: ${name} (P3010)`)
        const file = join(root, name, "migration.sql")
        const sql = readFileSync(file, "utf8")
        return { name, file, sql, checksum: checksumOf(sql) }
      })
    },
    catch: (e) =>
      e instanceof PluginError ? e : invalid(`cannot read migrations folder ${dir}: ${(e as Error).message}`),
  })
