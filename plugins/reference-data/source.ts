/**
 * Where a dataset's rows come from: its files, or another environment's database (promotion). Either
 * way the rows reach the target as a CSV stream into `COPY ... FROM STDIN`, hashed on the way.
 */
import { createHash } from "node:crypto"
import { Readable, Transform } from "node:stream"
import { pipeline } from "node:stream/promises"
import * as Effect from "effect/Effect"
import type pg from "pg"
import { from as copyFrom, to as copyTo } from "pg-copy-streams"
import { PluginError } from "../../engine/errors.ts"
import { query } from "../../services/database/connect.ts"
import { type DatasetTable, readTableText } from "./dataset.ts"
import type { Roots } from "./files.ts"
import { ident, tableRef } from "./sql.ts"

export interface Source {
  readonly table: DatasetTable
  readonly columns: ReadonlyArray<string>
  /** Rows, when known without a query (files). */
  readonly count: () => Promise<number>
  /** Sample keys for a table that does not exist yet. */
  readonly sampleKeys: () => ReadonlyArray<string>
  /** Streams the rows into `COPY <copySql>` on the target; the digest is SHA-256 of the CSV. */
  readonly copyInto: (target: pg.Client, copySql: string) => Promise<{ readonly digest: string }>
}

const hashing = (hash: ReturnType<typeof createHash>) =>
  new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      done(null, chunk)
    },
  })

/** Rows from the dataset's file, re-quoted as CSV for COPY (see `readTableText`). */
export const fileSource = (root: Roots, dir: string, t: DatasetTable): Effect.Effect<Source, PluginError> =>
  Effect.map(readTableText(root, dir, t), (data) => {
    const body = Buffer.from(data.csv)
    const pk = t.primaryKey.map((k) => data.columns.indexOf(k))
    return {
      table: t,
      columns: data.columns,
      count: async () => data.rows.length,
      sampleKeys: () => data.rows.slice(0, 3).map((r) => pk.map((i) => r[i] ?? "").join("/")),
      copyInto: async (target, copySql) => {
        await pipeline(Readable.from([body]), target.query(copyFrom(copySql)))
        return { digest: createHash("sha256").update(body).digest("hex") }
      },
    }
  })

/** Rows from the same table in another database (ordered by primary key, so the digest is stable). */
export const databaseSource = (src: pg.Client, t: DatasetTable): Effect.Effect<Source, PluginError> =>
  Effect.gen(function* () {
    const columns =
      t.columns ??
      (yield* query<{ c: string }>(
        src,
        `SELECT a.attname AS c FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0
           AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
        [tableRef(t.table)],
      )).rows.map((r) => r.c)
    if (columns.length === 0) {
      return yield* Effect.fail(
        new PluginError({ reason: "NotFound", detail: `the source database has no table ${t.table}` }),
      )
    }
    const select = `SELECT ${columns.map(ident).join(", ")} FROM ${tableRef(t.table)} ORDER BY ${t.primaryKey.map(ident).join(", ")}`
    return {
      table: t,
      columns,
      count: async () =>
        Number((await src.query(`SELECT count(*) AS n FROM ${tableRef(t.table)}`)).rows[0].n),
      sampleKeys: () => [],
      copyInto: async (target, copySql) => {
        const hash = createHash("sha256")
        await pipeline(
          src.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)`)),
          hashing(hash),
          target.query(copyFrom(copySql)),
        )
        return { digest: hash.digest("hex") }
      },
    }
  })
