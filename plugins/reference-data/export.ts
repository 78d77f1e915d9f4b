/**
 * `reconcile reference-data export --env NAME`: writes the environment's reference tables into the
 * dataset's files (CSV with a header, or a JSON array), ordered by primary key.
 */
import { createWriteStream, lstatSync, renameSync, rmSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { basename, dirname, extname, join, resolve } from "node:path"
import { pipeline } from "node:stream/promises"
import * as Effect from "effect/Effect"
import { to as copyTo } from "pg-copy-streams"
import { allowedRoots, confine, PluginError, type RunContext } from "../../engine/index.ts"
import { dbTimeoutsOf, query } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { hasFile, readDataset, readTableFile } from "./dataset.ts"
import { datasetPath } from "./files.ts"
import { databaseSource } from "./source.ts"
import type { DatabaseSpec } from "./spec.ts"
import { ident, tableRef } from "./sql.ts"

/**
 * Where a table is exported: inside the repository (parent folder resolved through symlinks), and
 * not a symlink or anything but a regular file when it exists. Checked for every table before any
 * is written; each file is written to a temporary sibling and renamed over, never through a link.
 */
const exportTarget = (
  root: ReadonlyArray<string>,
  dir: string,
  file: string,
): Effect.Effect<string, PluginError> =>
  Effect.suspend(() => {
    const target = resolve(datasetPath(root, dir), file)
    const folder = confine(root, dirname(target), "folder", dirname(target))
    if (!folder.ok)
      return Effect.fail(
        PluginError.invalid(
          `refusing to export to ${target}: ${folder.reason} (must be inside ${root.join(" or ")})`,
        ),
      )
    const real = join(folder.value.real, basename(target))
    try {
      const stat = lstatSync(real)
      if (!stat.isFile()) {
        return Effect.fail(
          PluginError.invalid(
            `refusing to export to ${target}: it is ${stat.isSymbolicLink() ? "a symlink" : "not a regular file"}`,
          ),
        )
      }
    } catch {
      // absent: created
    }
    return Effect.succeed(real)
  })

/** Writes through a temporary sibling (created exclusively) renamed over the target. */
const atomically = async (file: string, write: (tmp: string) => Promise<void>) => {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  try {
    await write(tmp)
    renameSync(tmp, file)
  } finally {
    rmSync(tmp, { force: true })
  }
}

/** Exports every dataset table; returns a one-line report. */
export const exportReferenceData = (
  ctx: RunContext,
): Effect.Effect<string, PluginError, HerokuApi | Database> =>
  Effect.scoped(
    Effect.gen(function* () {
      const db = ctx.spec.database as DatabaseSpec | undefined
      const rd = db?.referenceData
      if (db === undefined || rd === undefined) {
        return yield* Effect.fail(
          PluginError.invalid(`environment ${ctx.env} declares no spec.database.referenceData`),
        )
      }
      const root = allowedRoots(ctx.manifestDir)
      const dataset = yield* readDataset(root, rd.dir)
      const targets = yield* Effect.forEach(dataset.tables, (t) => exportTarget(root, rd.dir, t.file))
      const c = yield* (yield* Database).connect(
        yield* requireDatabaseUrl(db.url, ctx.spec),
        dbTimeoutsOf(ctx.spec),
        `reconcile reference-data export ${ctx.env}`,
      )
      const written: Array<string> = []
      for (const [i, t] of dataset.tables.entries()) {
        const columns =
          t.columns ??
          (hasFile(root, rd.dir, t)
            ? (yield* readTableFile(root, rd.dir, t)).columns
            : (yield* databaseSource(c, t)).columns)
        const file = targets[i] as string
        const select = `SELECT ${columns.map(ident).join(", ")} FROM ${tableRef(t.table)} ORDER BY ${t.primaryKey.map(ident).join(", ")}`
        if (extname(file).toLowerCase() === ".csv") {
          yield* Effect.tryPromise({
            try: () =>
              atomically(file, (tmp) =>
                pipeline(
                  c.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER true)`)),
                  createWriteStream(tmp, { flags: "wx" }),
                ),
              ),
            catch: (e) => PluginError.invalid(`exporting ${t.table} failed: ${(e as Error).message}`),
          })
        } else {
          const r = yield* query<{ j: unknown }>(
            c,
            `SELECT coalesce(json_agg(x), '[]'::json) AS j FROM (${select}) x`,
          )
          yield* Effect.tryPromise({
            try: () =>
              atomically(file, (tmp) =>
                writeFile(tmp, `${JSON.stringify(r.rows[0]?.j ?? [], null, 2)}\n`, { flag: "wx" }),
              ),
            catch: (e) => PluginError.invalid(`writing ${file} failed: ${(e as Error).message}`),
          })
        }
        written.push(`${t.table} → ${t.file}`)
      }
      return `exported ${written.length} table(s) from ${ctx.env}: ${written.join(", ")}`
    }),
  )
