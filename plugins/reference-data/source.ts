/**
 * Where a dataset's rows come from: its files, or (promotion) the same tables in another
 * environment's database, whose URL is read the way that environment's manifest says. Either way the
 * rows reach the target as a CSV stream into `COPY ... FROM STDIN`, hashed on the way.
 */
import { createHash } from "node:crypto"
import { Readable, Transform } from "node:stream"
import { pipeline } from "node:stream/promises"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type pg from "pg"
import { from as copyFrom, to as copyTo } from "pg-copy-streams"
import {
  allowedRoots,
  loadRawSpec,
  PluginError,
  type RunContext,
  type SecretEnv,
} from "../../engine/index.ts"
import { dbTimeoutsOf, query } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import { resolveDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { type DatasetTable, readDataset, readTableText } from "./dataset.ts"
import type { Roots } from "./files.ts"
import { DatabaseUrl, type ReferenceDataSpec } from "./spec.ts"
import { ident, tableRef } from "./sql.ts"

export interface Source {
  readonly table: DatasetTable
  readonly columns: ReadonlyArray<string>
  /** Rows, when known without a query (files). */
  readonly count: Effect.Effect<number, PluginError>
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
      count: Effect.succeed(data.count),
      sampleKeys: () => data.head.map((r) => pk.map((i) => r[i] ?? "").join("/")),
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
      count: Effect.map(query<{ n: string }>(src, `SELECT count(*) AS n FROM ${tableRef(t.table)}`), (r) =>
        Number(r.rows[0]?.n ?? 0),
      ),
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

/** The database URL of another environment, from its manifest in the same folder. */
export const environmentUrl = (
  env: string,
  manifestDir: string,
): Effect.Effect<Redacted.Redacted<string>, PluginError, HerokuApi | SecretEnv> =>
  Effect.gen(function* () {
    const spec = yield* loadRawSpec(manifestDir, env).pipe(
      Effect.mapError((e) =>
        PluginError.invalid(`cannot read the manifest of environment ${env}: ${e.message}`),
      ),
    )
    const raw = (spec.database as { url?: unknown } | undefined)?.url
    const url = yield* Schema.decodeUnknown(DatabaseUrl)(raw).pipe(
      Effect.mapError(() => PluginError.invalid(`environment ${env} declares no usable spec.database.url`)),
    )
    const resolved = yield* resolveDatabaseUrl(url, spec)
    if (Option.isNone(resolved)) {
      return yield* Effect.fail(
        new PluginError({ reason: "NotFound", detail: `environment ${env} has no database yet` }),
      )
    }
    return resolved.value
  })

/** The sources of a dataset for the scope (a source database connection is closed with it). */
export const openSources = (
  rd: ReferenceDataSpec,
  ctx: RunContext,
): Effect.Effect<ReadonlyArray<Source>, PluginError, HerokuApi | SecretEnv | Database | Scope.Scope> =>
  Effect.gen(function* () {
    const root = allowedRoots(ctx.manifestDir)
    const dataset = yield* readDataset(root, rd.dir)
    if (rd.from === undefined)
      return yield* Effect.forEach(dataset.tables, (t) => fileSource(root, rd.dir, t))
    const url = Redacted.isRedacted(rd.from) ? rd.from : yield* environmentUrl(rd.from.env, ctx.manifestDir)
    const src = yield* (yield* Database).connect(
      url,
      dbTimeoutsOf(ctx.spec),
      `reconcile reference-data source for ${ctx.env}`,
    )
    return yield* Effect.forEach(dataset.tables, (t) => databaseSource(src, t))
  })
