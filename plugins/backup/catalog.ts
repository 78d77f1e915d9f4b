/**
 * `reconcile.backups`: what the environment's database remembers about each backup. It lives in its
 * own schema, not the app's: a table in the app's schema would make a fresh database "not empty"
 * to the migrations (Prisma's P3005) after its first backup. Every backup records the source's row count per table and its migration
 * ledger at capture time (read in one snapshot just before the capture starts), so a restore test
 * can compare the restored copy with the source as it was; a restore test records its outcome.
 */
import * as Effect from "effect/Effect"
import type pg from "pg"
import type { PluginError } from "../../engine/index.ts"
import { query } from "../../services/database/connect.ts"

/** The catalog table, as SQL. */
export const catalogTable = `"reconcile"."backups"`

/** Row counts per table (`schema.table`) and the applied migrations, at one moment. */
export interface Snapshot {
  readonly counts: Readonly<Record<string, number>>
  readonly ledger: ReadonlyArray<string> | null
}

/** What the catalog holds about one backup. */
export interface CatalogEntry extends Snapshot {
  readonly id: string
  readonly takenAt: string
  readonly verifiedAt: string | null
  readonly verified: boolean | null
  readonly recoveryMs: number | null
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Every ordinary table's row count and the applied migrations, in one repeatable-read snapshot. */
export const snapshot = (c: pg.Client): Effect.Effect<Snapshot, PluginError> =>
  Effect.acquireUseRelease(
    query(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
    () =>
      Effect.gen(function* () {
        const tables = yield* query<{ s: string; t: string }>(
          c,
          `SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname NOT LIKE 'pg!_%' ESCAPE '!' AND NOT (n.nspname = 'reconcile' AND c.relname = 'backups')
           ORDER BY 1, 2`,
        )
        const counts: Record<string, number> = {}
        for (const { s, t } of tables.rows) {
          const r = yield* query<{ n: string }>(
            c,
            `SELECT count(*)::text AS n FROM ${quoteIdent(s)}.${quoteIdent(t)}`,
          )
          counts[`${s}.${t}`] = Number(r.rows[0]?.n ?? 0)
        }
        const hasLedger = yield* query<{ t: string | null }>(
          c,
          "SELECT to_regclass('_prisma_migrations')::text AS t",
        )
        const ledger =
          hasLedger.rows[0]?.t == null
            ? null
            : (yield* query<{ m: string }>(
                c,
                `SELECT migration_name AS m FROM _prisma_migrations
                 WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1`,
              )).rows.map((r) => r.m)
        return { counts, ledger } satisfies Snapshot
      }),
    () => query(c, "COMMIT").pipe(Effect.ignore),
  )

/** Creates the catalog's schema and table when missing. */
export const ensureCatalog = (c: pg.Client) =>
  Effect.zipRight(
    query(c, "CREATE SCHEMA IF NOT EXISTS reconcile"),
    query(
      c,
      `CREATE TABLE IF NOT EXISTS ${catalogTable} (
       id text PRIMARY KEY, env text NOT NULL, taken_at timestamptz NOT NULL, counts jsonb NOT NULL,
       ledger jsonb, verified_at timestamptz, verified boolean, recovery_ms integer)`,
    ),
  )

/** Records a backup and the snapshot taken just before it; a recorded backup's counts never change. */
export const recordBackup = (c: pg.Client, env: string, id: string, takenAt: Date, s: Snapshot) =>
  Effect.zipRight(
    ensureCatalog(c),
    query(
      c,
      `INSERT INTO ${catalogTable} (id, env, taken_at, counts, ledger) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [id, env, takenAt.toISOString(), JSON.stringify(s.counts), JSON.stringify(s.ledger)],
    ),
  )

/** Records a restore test's outcome. */
export const recordVerified = (c: pg.Client, id: string, ok: boolean, at: Date, recoveryMs: number) =>
  query(c, `UPDATE ${catalogTable} SET verified = $2, verified_at = $3, recovery_ms = $4 WHERE id = $1`, [
    id,
    ok,
    at.toISOString(),
    Math.round(recoveryMs),
  ])

interface Row {
  readonly id: string
  readonly taken_at: Date
  readonly counts: Record<string, number>
  readonly ledger: ReadonlyArray<string> | null
  readonly verified_at: Date | null
  readonly verified: boolean | null
  readonly recovery_ms: number | null
}

/** Every backup the catalog knows of this environment (none when it has no catalog yet). */
export const readCatalog = (
  c: pg.Client,
  env: string,
): Effect.Effect<ReadonlyArray<CatalogEntry>, PluginError> =>
  Effect.gen(function* () {
    const exists = yield* query<{ t: string | null }>(c, `SELECT to_regclass('reconcile.backups')::text AS t`)
    if (exists.rows[0]?.t == null) return []
    const rows = yield* query<Row>(c, `SELECT * FROM ${catalogTable} WHERE env = $1 ORDER BY taken_at`, [env])
    return rows.rows.map((r) => ({
      id: r.id,
      takenAt: r.taken_at.toISOString(),
      counts: r.counts,
      ledger: r.ledger,
      verifiedAt: r.verified_at?.toISOString() ?? null,
      verified: r.verified,
      recoveryMs: r.recovery_ms,
    }))
  })
