/**
 * Applying migrations. Each migration's SQL and its ledger row commit in one transaction, so a crash
 * leaves either both or neither. Statements Postgres refuses in a transaction run alone. A failure
 * rolls back, records a failed row as Prisma does, and explains itself with the SQL error, its
 * line:col in the file and the exact resolve command. The executor applies a run's steps in order
 * (an ordered wave); a session advisory lock keeps another process from migrating at the same time.
 */
import { randomUUID } from "node:crypto"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type pg from "pg"
import { PluginError } from "../../engine/index.ts"
import { query } from "../../services/database/connect.ts"
import { type Classified, pendingFor, resolveCommand } from "./classify.ts"
import type { MigrationFile } from "./folder.ts"
import { insertApplied, insertFailed } from "./ledger.ts"
import { lineCol, segmentsOf } from "./statements.ts"

interface PgError {
  readonly message: string
  readonly code?: string
  readonly position?: string
}

const run = (c: pg.Client, sql: string) =>
  Effect.tryPromise({ try: () => c.query(sql), catch: (e) => e as PgError })

/**
 * How a migration's transaction starts. All but the last migration of a run commit without waiting
 * for the WAL flush; the last one's synchronous commit flushes them all (the WAL is sequential), as
 * does the autocommitted row of a failure. A database crash mid-run can then only lose a migration
 * together with its ledger row, which the next run applies again; a run that reports success is durable.
 */
const beginFor = (durable: boolean) =>
  durable ? "BEGIN;\n" : "BEGIN;\nSET LOCAL synchronous_commit = off;\n"

/**
 * The ledger row of an applied migration (as `insertApplied`), as SQL text to send with the script;
 * `ledger` names the table with the session's schema, as the script may have changed search_path.
 */
const appliedRowSql = (c: pg.Client, m: MigrationFile, startedAt: Date, ledger: string) =>
  `INSERT INTO ${ledger} (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     VALUES (${c.escapeLiteral(randomUUID())}, ${c.escapeLiteral(m.checksum)}, clock_timestamp(), ${c.escapeLiteral(m.name)}, NULL, NULL, ${c.escapeLiteral(startedAt.toISOString())}::timestamptz, 1)`

/** Runs one migration; on failure records the failed row and fails with the explanation. */
export const applyMigration = (
  c: pg.Client,
  m: MigrationFile,
  serverVersion: number,
  env: string,
  durable = true,
  ledger = '"_prisma_migrations"',
): Effect.Effect<void, PluginError> =>
  Effect.gen(function* () {
    const begin = beginFor(durable)
    const startedAt = new Date(yield* Clock.currentTimeMillis)
    const segments = segmentsOf(m.sql, serverVersion)
    let committed = 0
    for (const [i, seg] of segments.entries()) {
      const last = i === segments.length - 1
      // one round trip: BEGIN, the SQL, (last part) the ledger row, COMMIT as one simple query; an
      // error skips the rest and leaves the transaction aborted, rolled back below
      const outcome = yield* Effect.either(
        seg.alone !== undefined
          ? run(c, seg.text)
          : run(
              c,
              `${begin}${seg.text}\n;\n${last ? `${appliedRowSql(c, m, startedAt, ledger)};\n` : ""}COMMIT`,
            ),
      )
      if (outcome._tag === "Left") {
        yield* run(c, "ROLLBACK").pipe(Effect.ignore)
        const e = outcome.left
        // positions count from the start of the query sent, which starts with `begin`
        const shift = seg.alone === undefined && e.position !== undefined ? begin.length : 0
        const at: PgError =
          shift === 0
            ? e
            : {
                message: e.message,
                position: String(Number(e.position) - shift),
                ...(e.code === undefined ? {} : { code: e.code }),
              }
        return yield* failed(c, m, env, startedAt, at, seg.start, committed)
      }
      committed++
      if (last && seg.alone !== undefined) yield* insertApplied(c, m.name, m.checksum, startedAt)
    }
  })

const failed = (
  c: pg.Client,
  m: MigrationFile,
  env: string,
  startedAt: Date,
  e: PgError,
  offset: number,
  committedSegments: number,
) =>
  Effect.gen(function* () {
    const pos = e.position === undefined ? undefined : lineCol(m.sql, offset + Number(e.position) - 1)
    const where = pos === undefined ? m.file : `${m.file}:${pos.line}:${pos.col}`
    if (committedSegments === 0 && (e.code === "55P03" || e.code === "57014")) {
      // a bounded wait or statement ran out: nothing changed, so nothing to resolve by hand
      const knob = e.code === "55P03" || /lock timeout/.test(e.message) ? "lockTimeout" : "statementTimeout"
      return yield* Effect.fail(
        new PluginError({
          // a lock wait ran out: retried (Unavailable) rather than queued behind traffic; a statement
          // that ran too long would only run too long again
          reason: knob === "lockTimeout" ? "Unavailable" : "Conflict",
          detail:
            `migration ${m.name} stopped: ${e.message} (${where}); spec.policy.${knob} bounds it. ` +
            "Its changes were rolled back and nothing is recorded: run again when the database is less busy.",
        }),
      )
    }
    const logs =
      `Migration name: ${m.name}\n\nDatabase error code: ${e.code ?? "unknown"}\n\nDatabase error:\n` +
      `ERROR: ${e.message}${pos === undefined ? "" : `\n\nPosition: line ${pos.line}, column ${pos.col}`}`
    yield* insertFailed(c, m.name, m.checksum, startedAt, logs)
    const partial =
      committedSegments > 0
        ? ` ${committedSegments} earlier part(s) of it ran outside a transaction and stay applied.`
        : " Its changes were rolled back."
    return yield* Effect.fail(
      new PluginError({
        reason: "Invalid",
        detail:
          `migration ${m.name} failed: ${e.message} (${where}).${partial} A failed row is recorded in ` +
          `_prisma_migrations. Fix the migration, then run: ${resolveCommand("--rolled-back", m.name, env)}`,
      }),
    )
  })

/** Server version as a number, e.g. 150004. */
export const serverVersionOf = (c: pg.Client) =>
  query<{ v: string }>(c, "SHOW server_version_num").pipe(Effect.map((r) => Number(r.rows[0]?.v ?? 0)))

/** Applies, in order, every pending migration up to and including `upTo`; returns the names applied. */
export const applyUpTo = (
  c: pg.Client,
  files: ReadonlyArray<MigrationFile>,
  classified: ReadonlyArray<Classified>,
  options: {
    readonly target: string
    readonly upTo: string
    readonly env: string
    readonly serverVersion: number
    /** Whether the last one commits durably (default true); earlier ones never wait for the flush. */
    readonly durable?: boolean
    /** The ledger table, schema-qualified (default: unqualified). */
    readonly ledger?: string
  },
): Effect.Effect<ReadonlyArray<string>, PluginError> =>
  Effect.gen(function* () {
    const { pending, blockers } = pendingFor(classified, options.target, options.env)
    if (!pending.some((p) => p.name === options.upTo) && !blockers.some((b) => b.name === options.upTo))
      return []
    const blocker = blockers.find((b) => b.name === options.upTo) ?? blockers[0]
    if (blocker !== undefined)
      return yield* Effect.fail(new PluginError({ reason: "Invalid", detail: blocker.message }))
    const stop = pending.findIndex((p) => p.name === options.upTo)
    const todo = stop < 0 ? [] : pending.slice(0, stop + 1)
    const applied: Array<string> = []
    for (const [i, p] of todo.entries()) {
      const file = files.find((f) => f.name === p.name)
      if (file === undefined) continue
      const durable = i === todo.length - 1 && options.durable !== false
      yield* applyMigration(c, file, options.serverVersion, options.env, durable, options.ledger)
      applied.push(p.name)
    }
    return applied
  })
