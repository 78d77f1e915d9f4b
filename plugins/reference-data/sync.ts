/**
 * Comparing and applying a dataset. Both load every table's rows with COPY into a temporary table in
 * one transaction; a comparison counts what would change and rolls back, an apply upserts only the
 * changed rows (tables in foreign-key order), deletes absent rows when pruning (children first),
 * records each table's digest and then the version row, and commits.
 */
import { createHash } from "node:crypto"
import * as Effect from "effect/Effect"
import type pg from "pg"
import { PluginError } from "../../engine/index.ts"
import { query } from "../../services/database/connect.ts"
import { lockKey } from "../../services/database/lock.ts"
import { datasetRow, ensureLedger, writeLedger } from "./ledger.ts"
import type { Source } from "./source.ts"
import {
  analyzeTemp,
  copyIntoTemp,
  countsSql,
  createTemp,
  deleteDiffSql,
  diffSql,
  insertDiffSql,
  type Shape,
  tableRef,
  updateDiffSql,
} from "./sql.ts"

export interface TableChange {
  readonly table: string
  /** Rows in the table now; null when the table (or one of its dataset columns) does not exist yet. */
  readonly current: number | null
  readonly inserted: number
  readonly updated: number
  readonly deleted: number
  readonly samples: {
    readonly inserted: ReadonlyArray<string>
    readonly updated: ReadonlyArray<string>
    readonly deleted: ReadonlyArray<string>
  }
  readonly digest: string
}

const shapeOf = (s: Source, i: number): Shape => ({
  table: s.table.table,
  temp: `_reconcile_rd_${i}`,
  pk: s.table.primaryKey,
  columns: s.columns,
})

/**
 * Whether the table exists with every dataset column. Before a pending migration creates the table
 * or adds a column (a first deploy, a resumed crashed run), nothing can be compared yet.
 */
const ready = (c: pg.Client, shape: Shape) =>
  query<{ ok: boolean }>(
    c,
    `SELECT to_regclass($1) IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM unnest($2::text[]) AS col WHERE NOT EXISTS (
         SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = col AND NOT attisdropped)) AS ok`,
    [tableRef(shape.table), shape.columns],
  ).pipe(Effect.map((r) => r.rows[0]?.ok === true))

/** Loads the source into the temporary copy; `analyze` for the comparison's count queries. */
const load = (c: pg.Client, s: Source, shape: Shape, analyze = true) =>
  Effect.zipRight(
    query(c, createTemp(shape)),
    Effect.tryPromise({
      try: () => s.copyInto(c, copyIntoTemp(shape)),
      catch: (e) =>
        new PluginError({
          reason: "Invalid",
          detail: `loading ${shape.table} failed: ${(e as Error).message}`,
        }),
    }),
  ).pipe(Effect.tap(() => (analyze ? query(c, analyzeTemp(shape)) : Effect.void)))

const inTransaction = <A>(c: pg.Client, body: Effect.Effect<A, PluginError>, commit: boolean) =>
  query(c, "BEGIN").pipe(
    Effect.zipRight(body),
    Effect.tap(() => query(c, commit ? "COMMIT" : "ROLLBACK")),
    Effect.onError(() => query(c, "ROLLBACK").pipe(Effect.ignore)),
  )

/** What applying would change, per table (nothing is written). */
export const compareDataset = (
  c: pg.Client,
  sources: ReadonlyArray<Source>,
): Effect.Effect<ReadonlyArray<TableChange>, PluginError> =>
  // counted by a test: a plan compares the dataset once, however many plugins care about it
  Effect.logDebug(compareLogLine).pipe(
    Effect.zipRight(
      inTransaction(
        c,
        Effect.forEach(sources, (s, i) =>
          Effect.gen(function* () {
            const shape = shapeOf(s, i)
            if (!(yield* ready(c, shape))) {
              const n = yield* s.count
              const samples = { inserted: s.sampleKeys(), updated: [], deleted: [] }
              return {
                table: shape.table,
                current: null,
                inserted: n,
                updated: 0,
                deleted: 0,
                samples,
                digest: "",
              }
            }
            const { digest } = yield* load(c, s, shape)
            const r = (yield* query(c, countsSql(shape))).rows[0] as Record<string, unknown>
            return {
              table: shape.table,
              current: Number(r.current),
              inserted: Number(r.inserted),
              updated: Number(r.updated),
              deleted: Number(r.deleted),
              samples: {
                inserted: r.inserted_keys as Array<string>,
                updated: r.updated_keys as Array<string>,
                deleted: r.deleted_keys as Array<string>,
              },
              digest,
            }
          }),
        ),
        false,
      ),
    ),
  )

/** The debug line every dataset comparison logs (a test counts them). */
export const compareLogLine = "reference-data: comparing the dataset with the database"

/** The dataset's overall digest: its version and every table's digest. */
export const datasetDigest = (version: string, tables: ReadonlyArray<{ table: string; digest: string }>) =>
  createHash("sha256")
    .update(JSON.stringify([version, tables.map((t) => [t.table, t.digest])]))
    .digest("hex")

/** Applies the whole dataset in one transaction; returns what changed per table. */
export const applyDataset = (
  c: pg.Client,
  sources: ReadonlyArray<Source>,
  options: { readonly prune: boolean; readonly version: string; readonly env: string },
): Effect.Effect<ReadonlyArray<TableChange>, PluginError> =>
  inTransaction(
    c,
    Effect.gen(function* () {
      yield* query(c, "SELECT pg_advisory_xact_lock($1)", [lockKey("reference-data", options.env)])
      yield* ensureLedger(c)
      const shapes = sources.map(shapeOf)
      const results: Array<{
        table: string
        inserted: number
        updated: number
        deleted: number
        digest: string
      }> = []
      for (const [i, s] of sources.entries()) {
        const shape = shapes[i]!
        const { digest } = yield* load(c, s, shape, false)
        yield* query(c, diffSql(shape, options.prune))
        const upd = updateDiffSql(shape)
        const updated = upd === undefined ? 0 : ((yield* query(c, upd)).rowCount ?? 0)
        const inserted = (yield* query(c, insertDiffSql(shape))).rowCount ?? 0
        results.push({ table: shape.table, inserted, updated, deleted: 0, digest })
      }
      if (options.prune) {
        for (let i = shapes.length - 1; i >= 0; i--) {
          const deleted = (yield* query(c, deleteDiffSql(shapes[i]!))).rowCount ?? 0
          results[i] = { ...results[i]!, deleted }
        }
      }
      for (const r of results) yield* writeLedger(c, r.table, options.version, r.digest)
      yield* writeLedger(c, datasetRow, options.version, datasetDigest(options.version, results))
      return results.map((r) => ({
        ...r,
        current: null,
        samples: { inserted: [], updated: [], deleted: [] },
      }))
    }),
    true,
  )
