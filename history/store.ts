/**
 * `_reconcile_runs`: the run history in the environment's own database, beside the product's other
 * ledgers (`_reconcile_reference_data`, Prisma's `_prisma_migrations`). Created on first write;
 * reading a database that has none yet is an empty history, not an error.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type pg from "pg"
import type { PluginError } from "../engine/index.ts"
import { query } from "../services/database/connect.ts"
import { RunRecord } from "./RunRecord.ts"

export const table = "_reconcile_runs"

const ensureTable = (c: pg.Client) =>
  query(
    c,
    `CREATE TABLE IF NOT EXISTS "${table}" (
       id text PRIMARY KEY, env text NOT NULL, kind text NOT NULL,
       started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL, actor jsonb NOT NULL,
       manifest_digest text, outcome text NOT NULL, release text, backup text, summary jsonb NOT NULL)`,
  )

/** Writes one run (creating the table on first use). */
export const insertRun = (c: pg.Client, run: RunRecord, summary: unknown) =>
  Effect.zipRight(
    ensureTable(c),
    query(
      c,
      `INSERT INTO "${table}" (id, env, kind, started_at, finished_at, actor, manifest_digest, outcome, release, backup, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        run.id,
        run.env,
        run.kind,
        run.startedAt,
        run.finishedAt,
        JSON.stringify(Schema.encodeSync(RunRecord)(run).actor),
        run.manifestDigest,
        run.outcome,
        run.release,
        run.backup,
        JSON.stringify(summary),
      ],
    ),
  )

interface Row {
  readonly id: string
  readonly env: string
  readonly kind: string
  readonly started_at: Date
  readonly finished_at: Date
  readonly actor: unknown
  readonly manifest_digest: string | null
  readonly outcome: string
  readonly release: string | null
  readonly backup: string | null
  readonly summary?: unknown
}

const exists = (c: pg.Client) =>
  query<{ t: string | null }>(c, `SELECT to_regclass('"${table}"')::text AS t`).pipe(
    Effect.map((r) => r.rows[0]?.t != null),
  )

const toRecord = (row: Row) =>
  Schema.decodeUnknownSync(RunRecord)({
    id: row.id,
    env: row.env,
    kind: row.kind,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at.toISOString(),
    actor: row.actor,
    manifestDigest: row.manifest_digest,
    outcome: row.outcome,
    release: row.release,
    backup: row.backup,
  })

const columns = "id, env, kind, started_at, finished_at, actor, manifest_digest, outcome, release, backup"

/** The newest `limit` runs of `env`, newest first. */
export const listRuns = (
  c: pg.Client,
  env: string,
  limit: number,
): Effect.Effect<ReadonlyArray<RunRecord>, PluginError> =>
  Effect.flatMap(exists(c), (yes) =>
    yes
      ? query<Row>(
          c,
          `SELECT ${columns} FROM "${table}" WHERE env = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
          [env, limit],
        ).pipe(Effect.map((r) => r.rows.map(toRecord)))
      : Effect.succeed([]),
  )

/** One run and its summary JSON, if recorded. */
export const getRun = (
  c: pg.Client,
  env: string,
  id: string,
): Effect.Effect<{ readonly run: RunRecord; readonly summary: unknown } | undefined, PluginError> =>
  Effect.flatMap(exists(c), (yes) =>
    yes
      ? query<Row>(c, `SELECT ${columns}, summary FROM "${table}" WHERE env = $1 AND id = $2`, [
          env,
          id,
        ]).pipe(
          Effect.map((r) => {
            const row = r.rows[0]
            return row === undefined ? undefined : { run: toRecord(row), summary: row.summary }
          }),
        )
      : Effect.succeed(undefined),
  )
