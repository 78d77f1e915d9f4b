/**
 * Prisma's `_prisma_migrations` ledger, in the connection's schema: its exact DDL, reading rows as
 * plain data, and the rows Prisma writes (success, failure, marked applied, marked rolled back).
 */
import { randomUUID } from "node:crypto"
import * as Effect from "effect/Effect"
import type pg from "pg"
import type { PluginError } from "../../engine/index.ts"
import { query } from "../../services/database/connect.ts"

/** One ledger row, timestamps as ISO strings. */
export interface LedgerRow {
  readonly id: string
  readonly checksum: string
  readonly finishedAt: string | null
  readonly name: string
  readonly logs: string | null
  readonly rolledBackAt: string | null
  readonly startedAt: string
  readonly appliedStepsCount: number
}

/** Prisma's DDL, verbatim. */
export const createLedgerSql = `CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`

/** The ledger's columns, in the order its rows' values are written. */
export const ledgerColumns =
  "(id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)"

/** Prisma's DDL for the ledger named `ledger` (schema-qualified: a migration may change search_path). */
export const createLedgerSqlIn = (ledger: string) => createLedgerSql.replace('"_prisma_migrations"', ledger)

/** SQL: the ledger table's name when it exists in the connection's schema, else NULL. */
export const ledgerRegclassSql = `to_regclass(quote_ident(current_schema()) || '._prisma_migrations')::text`

/** Whether the ledger table exists in the connection's schema. */
export const ledgerExists = (c: pg.Client): Effect.Effect<boolean, PluginError> =>
  query<{ t: string | null }>(c, `SELECT ${ledgerRegclassSql} AS t`).pipe(
    Effect.map((r) => r.rows[0]?.t != null),
  )

/** SQL: true when the connection's schema holds nothing (tables, views, sequences, types). */
export const schemaEmptySql = `(NOT EXISTS (SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
              WHERE n.nspname = current_schema() AND k.relkind IN ('r','p','v','m','S','f'))
        AND NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE n.nspname = current_schema() AND t.typtype IN ('e','d','r')))`

/** Whether the connection's schema holds anything (tables, views, sequences, types). */
export const schemaIsEmpty = (c: pg.Client): Effect.Effect<boolean, PluginError> =>
  query<{ empty: boolean }>(c, `SELECT ${schemaEmptySql} AS empty`).pipe(
    Effect.map((r) => r.rows[0]?.empty === true),
  )

export const createLedger = (c: pg.Client) => query(c, createLedgerSql)

const iso = (d: Date | null) => (d === null ? null : d.toISOString())

/** Every ledger row, oldest attempt first. */
export const readLedger = (c: pg.Client): Effect.Effect<ReadonlyArray<LedgerRow>, PluginError> =>
  query<{
    id: string
    checksum: string
    finished_at: Date | null
    migration_name: string
    logs: string | null
    rolled_back_at: Date | null
    started_at: Date
    applied_steps_count: number
  }>(c, `SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`).pipe(
    Effect.map((r) =>
      r.rows.map((row) => ({
        id: row.id,
        checksum: row.checksum,
        finishedAt: iso(row.finished_at),
        name: row.migration_name,
        logs: row.logs,
        rolledBackAt: iso(row.rolled_back_at),
        startedAt: row.started_at.toISOString(),
        appliedStepsCount: row.applied_steps_count,
      })),
    ),
  )

/** A successful attempt (inside the migration's transaction): finished, one step, no logs. */
export const insertApplied = (
  c: pg.Client,
  name: string,
  checksum: string,
  startedAt: Date,
  ledger = '"_prisma_migrations"',
) =>
  query(
    c,
    `INSERT INTO ${ledger} ${ledgerColumns}
     VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
    [randomUUID(), checksum, name, startedAt],
  )

/** A failed attempt, as Prisma records it: no finished_at, the error in logs, zero steps. */
export const insertFailed = (
  c: pg.Client,
  name: string,
  checksum: string,
  startedAt: Date,
  logs: string,
  ledger = '"_prisma_migrations"',
) =>
  query(
    c,
    `INSERT INTO ${ledger} ${ledgerColumns}
     VALUES ($1, $2, NULL, $3, $4, NULL, $5, 0)`,
    [randomUUID(), checksum, name, logs, startedAt],
  )

/** `resolve --applied`: failed rows of the name rolled back, then a row marked applied by hand. */
export const markApplied = (c: pg.Client, name: string, checksum: string) =>
  Effect.zipRight(
    markRolledBack(c, name),
    query(
      c,
      `INSERT INTO "_prisma_migrations" ${ledgerColumns}
       VALUES ($1, $2, now(), $3, '', NULL, now(), 0)`,
      [randomUUID(), checksum, name],
    ),
  )

/** `resolve --rolled-back`: sets rolled_back_at on the failed rows of that name. */
export const markRolledBack = (c: pg.Client, name: string) =>
  query(
    c,
    `UPDATE "_prisma_migrations" SET rolled_back_at = now()
     WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL`,
    [name],
  )
