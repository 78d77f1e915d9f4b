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
import { resolveCommand } from "./classify.ts"
import {
  type Commits,
  committed,
  framing,
  oneByOne,
  ownTransactionReason,
  pendingWrites,
  savepoint,
} from "./commits.ts"
import type { MigrationFile } from "./folder.ts"
import { createLedgerSqlIn, insertApplied, insertFailed } from "./ledger.ts"
import { lineCol, type Segment, segmentsOf } from "./statements.ts"

interface PgError {
  readonly message: string
  readonly code?: string
  readonly position?: string
}

const run = (c: pg.Client, sql: string) =>
  Effect.tryPromise({ try: () => c.query(sql), catch: (e) => e as PgError })

/**
 * The ledger row of an applied migration (as `insertApplied`) as a value tuple, sent with the script
 * or with the wave's commit; `finished` is SQL (clock_timestamp() when sent with the script).
 */
const appliedRow = (c: pg.Client, m: MigrationFile, startedAt: Date, finished: string) =>
  `(${c.escapeLiteral(randomUUID())}, ${c.escapeLiteral(m.checksum)}, ${finished}, ${c.escapeLiteral(m.name)}, NULL, NULL, ${timestamp(c, startedAt)}, 1)`

const timestamp = (c: pg.Client, at: Date) => `${c.escapeLiteral(at.toISOString())}::timestamptz`

/** What a run of migrations knows of its session. */
export interface RunOptions {
  readonly env: string
  readonly serverVersion: number
  /** The wave's commit mode (default: one by one). */
  readonly commits?: Commits
  /** The ledger table, schema-qualified (default: unqualified). */
  readonly ledger?: string
}

const defaultLedger = '"_prisma_migrations"'

/**
 * Commits the wave's open transaction with its pending writes (before a statement that runs alone,
 * or a migration of its own); with none open, creates the ledger if it is still pending, as rows
 * written outside the wave's transaction need it.
 */
const closeWave = (c: pg.Client, commits: Commits, m: MigrationFile, ledger: string) =>
  commits.open || commits.ledgerPending
    ? run(c, commits.open ? `${pendingWrites(commits, ledger)}COMMIT` : createLedgerSqlIn(ledger)).pipe(
        Effect.tap(() => committed(commits)),
        Effect.mapError(
          (e) =>
            new PluginError({
              reason: "Unavailable",
              detail: `committing the migrations before ${m.name} failed: ${e.message}; nothing of them is recorded, the next run applies them again`,
            }),
        ),
      )
    : Effect.void

/** A failed part's error with its position counted from the part's text, not the query sent. */
const unshifted = (e: PgError, head: string): PgError =>
  e.position === undefined
    ? e
    : {
        message: e.message,
        position: String(Number(e.position) - head.length),
        ...(e.code === undefined ? {} : { code: e.code }),
      }

/**
 * Runs one migration; on failure records the failed row and fails with the explanation. The common
 * migration (one part, in a transaction) is one query and a few effects: a wave of first-deploy
 * migrations runs at the pace of its round trips; any other goes part by part.
 */
export const applyMigration = (
  c: pg.Client,
  m: MigrationFile,
  options: RunOptions & { readonly durable: boolean },
): Effect.Effect<void, PluginError> => {
  const commits = options.commits ?? oneByOne()
  const segments = segmentsOf(m.sql, options.serverVersion)
  if (
    segments.length !== 1 ||
    segments[0]!.alone !== undefined ||
    (commits.together && ownTransactionReason(m.sql) !== undefined)
  )
    return applyInParts(c, m, { ...options, commits }, segments)
  const { durable, env } = options
  const ledger = options.ledger ?? defaultLedger
  return Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const startedAt = new Date(now)
    const { head, tail } = framing(commits, durable, ledger, () =>
      appliedRow(c, m, startedAt, "clock_timestamp()"),
    )
    // one round trip: the transaction's head, the SQL and its tail (the ledger row, the commit) as
    // one simple query; an error skips the rest and leaves the transaction aborted, undone below
    return Effect.matchEffect(run(c, `${head}${m.sql}\n;\n${tail}`), {
      onFailure: (e) =>
        Effect.zipRight(
          undo(c, commits, true, ledger),
          failed(c, m, env, startedAt, unshifted(e, head), 0, 0, commits, ledger),
        ),
      onSuccess: () => Effect.sync(() => succeeded(c, commits, durable, m, startedAt)),
    })
  })
}

/** A transactional part that ends a migration succeeded: in the wave, its row waits for the commit. */
const succeeded = (c: pg.Client, commits: Commits, durable: boolean, m: MigrationFile, startedAt: Date) => {
  if (!commits.together) return
  if (durable) return committed(commits)
  commits.open = true
  commits.rows.push(appliedRow(c, m, startedAt, timestamp(c, new Date())))
}

/** A migration with a statement that runs alone, or that leaves the wave's transaction: part by part. */
const applyInParts = (
  c: pg.Client,
  m: MigrationFile,
  options: RunOptions & { readonly durable: boolean; readonly commits: Commits },
  segments: ReadonlyArray<Segment>,
): Effect.Effect<void, PluginError> =>
  Effect.gen(function* () {
    const { env, durable, commits } = options
    const ledger = options.ledger ?? defaultLedger
    if (commits.together && ownTransactionReason(m.sql) !== undefined) {
      yield* closeWave(c, commits, m, ledger)
      commits.together = false
    }
    const startedAt = new Date(yield* Clock.currentTimeMillis)
    let done = 0
    for (const [i, seg] of segments.entries()) {
      const last = i === segments.length - 1
      if (seg.alone !== undefined) yield* closeWave(c, commits, m, ledger)
      const partDurable = durable && (last || !commits.together)
      const row = last ? appliedRow(c, m, startedAt, "clock_timestamp()") : ""
      const { head, tail } = framing(commits, partDurable, ledger, row)
      // one round trip: the transaction's head, the SQL and its tail (the last part's ledger row,
      // the commit) as one simple query; an error skips the rest, undone below
      const outcome = yield* Effect.either(
        seg.alone !== undefined ? run(c, seg.text) : run(c, `${head}${seg.text}\n;\n${tail}`),
      )
      if (outcome._tag === "Left") {
        yield* undo(c, commits, seg.alone === undefined, ledger)
        // positions count from the start of the query sent, which starts with `head`
        const at = seg.alone === undefined ? unshifted(outcome.left, head) : outcome.left
        return yield* failed(c, m, env, startedAt, at, seg.start, done, commits, ledger)
      }
      done++
      if (seg.alone !== undefined) {
        if (last) yield* insertApplied(c, m.name, m.checksum, startedAt, ledger)
      } else if (last) succeeded(c, commits, partDurable, m, startedAt)
      else if (commits.together) commits.open = !partDurable
    }
  })

/**
 * Undoes a failed part: its own transaction rolled back; in the wave's transaction, back to the
 * part's savepoint, keeping (committing) the migrations before it with their rows. If even that
 * fails, the whole wave is rolled back: nothing of it stays, the ledger is still to be created.
 */
const undo = (c: pg.Client, commits: Commits, inTransaction: boolean, ledger: string) => {
  if (!(commits.together && inTransaction)) {
    commits.open = false
    commits.rows = []
    return run(c, "ROLLBACK").pipe(Effect.ignore)
  }
  return run(c, `ROLLBACK TO SAVEPOINT ${savepoint};\n${pendingWrites(commits, ledger)}COMMIT`).pipe(
    Effect.tap(() => committed(commits)),
    Effect.catchAll(() =>
      Effect.zipRight(
        Effect.sync(() => {
          commits.open = false
          commits.rows = []
        }),
        run(c, "ROLLBACK"),
      ),
    ),
    Effect.ignore,
  )
}

const failed = (
  c: pg.Client,
  m: MigrationFile,
  env: string,
  startedAt: Date,
  e: PgError,
  offset: number,
  committedSegments: number,
  commits: Commits,
  ledger: string,
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
    // the failed row needs the ledger: a first deploy's wave that failed before any commit has none
    if (commits.ledgerPending) yield* closeWave(c, commits, m, ledger).pipe(Effect.ignore)
    yield* insertFailed(c, m.name, m.checksum, startedAt, logs, ledger)
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

/**
 * Applies `todo` in order, the last one durably when `durable` (earlier ones never wait for the
 * flush); returns the names applied.
 */
export const applyInOrder = (
  c: pg.Client,
  todo: ReadonlyArray<MigrationFile>,
  options: RunOptions & { readonly durable: boolean },
): Effect.Effect<ReadonlyArray<string>, PluginError> =>
  todo.length === 1
    ? Effect.as(applyMigration(c, todo[0]!, options), [todo[0]!.name])
    : Effect.forEach(todo, (m, i) =>
        Effect.as(
          applyMigration(c, m, { ...options, durable: options.durable && i === todo.length - 1 }),
          m.name,
        ),
      )
