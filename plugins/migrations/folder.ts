/**
 * Prisma's migrations folder: `<dir>/<name>/migration.sql`, applied in sorted name order, with
 * `migration_lock.toml` naming the provider. Checksums are SHA-256 of the file, matched with
 * Prisma's line-ending tolerance.
 */
import { createHash } from "node:crypto"
import { existsSync, lstatSync, readdirSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { confine, isPluginError, PluginError, readBounded } from "../../engine/index.ts"

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

/** Largest migration.sql read. */
export const MIGRATION_MAX_BYTES = 64 * 1024 * 1024

/**
 * Reads every migration of a folder, in order. `dir` resolves against the repository `root` and must
 * be a folder inside it (symlinks resolved), as must every migration.sql, each a regular file of at
 * most 64 MiB. A missing folder is an error.
 */
export const readMigrations = (
  root: string | ReadonlyArray<string>,
  dir: string,
): Effect.Effect<ReadonlyArray<MigrationFile>, PluginError> =>
  Effect.try({
    try: () => {
      const folder = confine(root, dir, "folder")
      if (!folder.ok)
        throw PluginError.invalid(
          `migrations folder refused: ${folder.reason} (it must be inside ${[root].flat().join(" or ")})`,
        )
      const realRoot = folder.value.real
      const readInside = (file: string, max: number) => {
        const found = confine(root, file, "file")
        if (!found.ok)
          throw PluginError.invalid(`${found.reason} (it must be inside ${[root].flat().join(" or ")})`)
        const bytes = readBounded(found.value.real, file, max)
        if (!bytes.ok) throw PluginError.invalid(bytes.reason)
        return bytes.value.toString("utf8")
      }
      // readBounded opens without following a symlink and checks the descriptor is a regular file
      const readPlain = (file: string) => {
        const bytes = readBounded(file, file, MIGRATION_MAX_BYTES)
        if (!bytes.ok) throw PluginError.invalid(bytes.reason)
        return bytes.value.toString("utf8")
      }
      const lockFile = join(realRoot, "migration_lock.toml")
      if (existsSync(lockFile)) {
        const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readInside(lockFile, 65_536))?.[1]
        if (provider !== undefined && provider !== "postgresql") {
          throw PluginError.invalid(
            `${lockFile}: provider is "${provider}", expected "postgresql" (Prisma P3019)`,
          )
        }
      }
      // each migration is a real folder (not a symlink) in the confined folder, so a migration.sql that
      // is a regular file (not a symlink) lies inside it too: only anything else is confined again
      const names = readdirSync(realRoot, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => ({ name: d.name, file: join(realRoot, d.name, "migration.sql") }))
        .map((m) => ({ ...m, stat: lstatSync(m.file, { throwIfNoEntry: false }) }))
        .filter((m) => m.stat !== undefined && (!m.stat.isSymbolicLink() || existsSync(m.file)))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      return names.map(({ name, file, stat }) => {
        if (Buffer.byteLength(name) > 200)
          throw PluginError.invalid(`migration name longer than 200 bytes: ${name} (P3010)`)
        const sql = stat?.isFile() === true ? readPlain(file) : readInside(file, MIGRATION_MAX_BYTES)
        return { name, file, sql, checksum: checksumOf(sql) }
      })
    },
    catch: (e) =>
      isPluginError(e)
        ? e
        : PluginError.invalid(`cannot read migrations folder ${dir}: ${(e as Error).message}`),
  })
