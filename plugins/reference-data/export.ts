/**
 * `reconcile reference-data export --env NAME`: writes the environment's reference tables into the
 * dataset's files (CSV with a header, or a JSON array), ordered by primary key.
 */
import { createWriteStream } from "node:fs"
import { writeFile } from "node:fs/promises"
import { extname, join, resolve } from "node:path"
import { pipeline } from "node:stream/promises"
import * as Effect from "effect/Effect"
import { to as copyTo } from "pg-copy-streams"
import { PluginError } from "../../engine/errors.ts"
import type { RunContext } from "../../engine/plugin/Plugin.ts"
import { connect, dbTimeoutsOf, query } from "../database/connect.ts"
import type { DatabaseSpec } from "../database/section.ts"
import { requireDatabaseUrl } from "../database/url.ts"
import type { HerokuApi } from "../heroku/HerokuApi.ts"
import { hasFile, readDataset, readTableFile } from "./dataset.ts"
import { databaseSource } from "./source.ts"
import { ident, tableRef } from "./sql.ts"

const invalid = (detail: string) => new PluginError({ reason: "Invalid", detail })

/** Exports every dataset table; returns a one-line report. */
export const exportReferenceData = (ctx: RunContext): Effect.Effect<string, PluginError, HerokuApi> =>
  Effect.scoped(
    Effect.gen(function* () {
      const db = ctx.spec.database as DatabaseSpec | undefined
      const rd = db?.referenceData
      if (db === undefined || rd === undefined) {
        return yield* Effect.fail(invalid(`environment ${ctx.env} declares no spec.database.referenceData`))
      }
      const dataset = yield* readDataset(rd.dir)
      const c = yield* connect(
        yield* requireDatabaseUrl(db.url, ctx.spec),
        dbTimeoutsOf(ctx.spec),
        `reconcile reference-data export ${ctx.env}`,
      )
      const written: Array<string> = []
      for (const t of dataset.tables) {
        const columns =
          t.columns ??
          (hasFile(rd.dir, t)
            ? (yield* readTableFile(rd.dir, t)).columns
            : (yield* databaseSource(c, t)).columns)
        const file = join(resolve(rd.dir), t.file)
        const select = `SELECT ${columns.map(ident).join(", ")} FROM ${tableRef(t.table)} ORDER BY ${t.primaryKey.map(ident).join(", ")}`
        if (extname(file).toLowerCase() === ".csv") {
          yield* Effect.tryPromise({
            try: () =>
              pipeline(
                c.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER true)`)),
                createWriteStream(file),
              ),
            catch: (e) => invalid(`exporting ${t.table} failed: ${(e as Error).message}`),
          })
        } else {
          const r = yield* query<{ j: unknown }>(
            c,
            `SELECT coalesce(json_agg(x), '[]'::json) AS j FROM (${select}) x`,
          )
          yield* Effect.tryPromise({
            try: () => writeFile(file, `${JSON.stringify(r.rows[0]?.j ?? [], null, 2)}\n`),
            catch: (e) => invalid(`writing ${file} failed: ${(e as Error).message}`),
          })
        }
        written.push(`${t.table} → ${t.file}`)
      }
      return `exported ${written.length} table(s) from ${ctx.env}: ${written.join(", ")}`
    }),
  )
