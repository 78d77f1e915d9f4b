/**
 * A migration session: a direct connection holding the migrations lock (a session advisory lock per
 * environment) for its scope. Taking the lock also reads what a run needs to start, in the same
 * round trip: whether the ledger exists, whether the schema is empty, its name, and the server
 * version; and it sets how soon the server notices a killed client.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Redacted from "effect/Redacted"
import type pg from "pg"
import { PluginError } from "../../engine/index.ts"
import { type DbTimeouts, query } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import { lockKey } from "../../services/database/lock.ts"
import { ledgerRegclassSql, schemaEmptySql } from "./ledger.ts"

/** An open migration session and what its database looked like when the lock was taken. */
export interface MigrationSession {
  readonly client: pg.Client
  /** Server version as a number, e.g. 150004. */
  readonly serverVersion: number
  readonly ledgerExists: boolean
  /** Whether the schema held nothing (tables, views, sequences, types) when the lock was taken. */
  readonly schemaEmpty: boolean
  /** The ledger table qualified with the session's schema (a migration may change search_path). */
  readonly ledger: string
}

interface Facts {
  readonly ok: boolean
  readonly ledger: string | null
  readonly empty: boolean
  readonly version: string
  /** NULL when no schema on the search_path exists (creating the ledger then fails, and says so). */
  readonly schema: string | null
}

/** Opens a direct migration session holding the migrations lock for the scope. */
export const migrationSession = (url: Redacted.Redacted<string>, env: string, timeouts: DbTimeouts) =>
  Effect.gen(function* () {
    const c = yield* (yield* Database).connect(url, timeouts, `reconcile migrate ${env} pid ${process.pid}`)
    const key = lockKey("migrations", env)
    // try rather than block: a session waiting inside pg_advisory_lock holds a snapshot, which a
    // CREATE INDEX CONCURRENTLY in the lock holder's migration would wait for (a deadlock). Held
    // means another process is migrating (steps of one run are ordered by the executor); the
    // executor's retry schedule tries again. The facts beside it are only used once it is held.
    // Beside them, a killed client is made noticed within a second even while a statement runs, so
    // its locks go (Postgres 14+; older servers have no such setting).
    const facts = yield* query<Facts>(
      c,
      `SELECT pg_try_advisory_lock($1) AS ok, ${ledgerRegclassSql} AS ledger,
              ${schemaEmptySql} AS empty, current_setting('server_version_num') AS version,
              current_schema() AS schema,
              CASE WHEN current_setting('server_version_num')::int >= 140000
                THEN set_config('client_connection_check_interval', '1s', false) END AS checking`,
      [key],
    ).pipe(
      Effect.map((r) => r.rows[0]),
      Effect.filterOrFail(
        (r): r is Facts => r?.ok === true,
        () =>
          new PluginError({
            reason: "Unavailable",
            detail: "another session holds the migrations lock (a migration run in another process)",
          }),
      ),
    )
    // interrupted, the session may be mid-statement: connect's release ends it, which unlocks too
    yield* Effect.addFinalizer((exit) =>
      Exit.isInterrupted(exit)
        ? Effect.void
        : query(c, "SELECT pg_advisory_unlock($1)", [key]).pipe(Effect.ignore),
    )
    const session: MigrationSession = {
      client: c,
      serverVersion: Number(facts.version),
      ledgerExists: facts.ledger !== null,
      schemaEmpty: facts.empty,
      ledger: `${facts.schema === null ? "" : `${c.escapeIdentifier(facts.schema)}.`}"_prisma_migrations"`,
    }
    return session
  })
