/**
 * Applying a migration: every pending one up to it, each with its ledger row in one transaction.
 * The steps of one migrations wave share one session (opened by the first, holding the migrations
 * lock, with the server version, the folder and the ledger read once; the ledger is then known from
 * what the session applied, as the lock keeps other runners out): a step costs the migration's own
 * round trip. The step that leaves nothing pending, and any failure, closes it.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type pg from "pg"
import { allowedRoots, done, PluginError, type RunContext, RunState, runKey } from "../../engine/index.ts"
import { dbTimeoutsOf, query } from "../../services/database/connect.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { type Blocker, classify, pendingFor } from "./classify.ts"
import { asOne, type Commits, commitWave, oneByOne } from "./commits.ts"
import { type MigrationFile, readMigrations } from "./folder.ts"
import { readLedger } from "./ledger.ts"
import { applyInOrder } from "./runner.ts"
import { migrationSession } from "./session.ts"
import type { DatabaseSpec, MigrationsSpec } from "./spec.ts"

const dbOf = (ctx: RunContext) => ctx.spec.database as DatabaseSpec

/** Resumes after the event loop has handled the I/O already waiting (setImmediate runs after poll). */
const afterPendingIo = Effect.async<void>((resume) => {
  const t = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(t))
})

/** What the steps of one migrations wave share. */
interface Session {
  readonly client: pg.Client
  readonly serverVersion: number
  /** The ledger table, schema-qualified. */
  readonly ledger: string
  /** What applying up to the target needed when the session opened: pending files in order, or blockers. */
  readonly pending: ReadonlyArray<MigrationFile>
  readonly blockers: ReadonlyArray<Blocker>
  /** Names this session applied since (per-run state, dropped with the session). */
  readonly applied: Set<string>
  /** How the wave's migrations commit (commits.ts): together on an empty schema, else one by one. */
  readonly commits: Commits
}

/** The wave's session, per environment. */
export const sessionKey = runKey<Session>("migrations.session")

/**
 * Opens the session: the lock with the ledger and server facts (one round trip), the folder (read
 * while the connection is made), the ledger (created on an empty schema, else read once).
 */
const openSession = (db: DatabaseSpec, spec: MigrationsSpec, ctx: RunContext) =>
  Effect.gen(function* () {
    const url = yield* requireDatabaseUrl(db.url, ctx.spec)
    const [opened, folder] = yield* Effect.all(
      [
        migrationSession(url, ctx.env, dbTimeoutsOf(ctx.spec)),
        // the read is synchronous: one turn of the event loop first lets the connection's handshake
        // go out, so the server starts its session while the folder is read
        Effect.zipRight(
          afterPendingIo,
          Effect.either(readMigrations(allowedRoots(ctx.manifestDir), spec.dir)),
        ),
      ],
      { concurrency: 2 },
    )
    const { client } = opened
    if (!opened.ledgerExists && !opened.schemaEmpty) {
      return yield* Effect.fail(
        new PluginError({
          reason: "Invalid",
          detail: `the schema is not empty and has no _prisma_migrations ledger: run reconcile migrations baseline --env ${ctx.env}`,
        }),
      )
    }
    const files = yield* folder
    // an empty schema is a first deploy: its wave shares one transaction, and its ledger (empty:
    // nothing to read) is created when that transaction first commits (commits.ts)
    const together = !opened.ledgerExists
    const commits = together ? asOne() : oneByOne()
    const rows = together ? [] : yield* readLedger(client)
    // the wave's steps commit it; a wave that ends early (a run stopped between its steps) too
    yield* Effect.addFinalizer((exit) =>
      commits.open && !Exit.isInterrupted(exit)
        ? query(client, commitWave(commits, opened.ledger)).pipe(Effect.ignore)
        : Effect.void,
    )
    const { pending, blockers } = pendingFor(classify(files, rows).migrations, spec.target, ctx.env)
    const byName = new Map(files.map((f) => [f.name, f]))
    const session: Session = {
      client,
      serverVersion: opened.serverVersion,
      ledger: opened.ledger,
      pending: pending.flatMap((p) => byName.get(p.name) ?? []),
      blockers,
      applied: new Set(),
      commits,
    }
    return session
  })

/**
 * What the step for `name` applies: the session's pending files up to it that it has not applied
 * yet (none when `name` is applied), whether that ends the wave, or the blocker that stops it.
 */
const stepOf = (s: Session, name: string) => {
  const stop = s.pending.findIndex((f) => f.name === name)
  const blocked = s.blockers.some((b) => b.name === name)
  if (stop < 0 && !blocked) return { todo: [], last: s.pending.every((f) => s.applied.has(f.name)) }
  const blocker = s.blockers.find((b) => b.name === name) ?? s.blockers[0]
  if (blocker !== undefined) return { blocker }
  return {
    todo: s.pending.slice(0, stop + 1).filter((f) => !s.applied.has(f.name)),
    // the wave's last migration commits durably, which flushes the earlier ones' commits too
    last: s.pending.slice(stop + 1).every((f) => s.applied.has(f.name)),
  }
}

/** Applies the pending migrations up to `name` (a no-op when it was already applied). */
export const applyMigration = (name: string, ctx: RunContext) => {
  const db = dbOf(ctx)
  const spec = db.migrations
  if (spec === undefined) return Effect.succeed(done("no migrations declared"))
  // a step costs a few effects beyond its query: a wave's steps run at the pace of their round trips
  return Effect.flatMap(RunState, (state) =>
    state.resource(sessionKey, ctx.env, openSession(db, spec, ctx)).pipe(
      Effect.flatMap((s) => {
        const step = stepOf(s, name)
        if ("blocker" in step)
          return Effect.fail(new PluginError({ reason: "Invalid", detail: step.blocker!.message }))
        const { todo, last } = step
        return applyInOrder(s.client, todo, {
          env: ctx.env,
          serverVersion: s.serverVersion,
          durable: last,
          commits: s.commits,
          ledger: s.ledger,
        }).pipe(
          Effect.flatMap((applied) => {
            for (const n of applied) s.applied.add(n)
            const result = done(
              applied.length === 0 ? `${name} was already applied` : `applied ${applied.join(", ")}`,
            )
            return last ? Effect.as(state.release(sessionKey, ctx.env), result) : Effect.succeed(result)
          }),
        )
      }),
      // a failed step may leave the session broken: the next attempt opens a fresh one. A step cut
      // off mid-query (its timeout) may leave that query running: the session closes as interrupted,
      // so its backend is ended and its open transaction rolled back, never committed without the
      // rows the step did not get to record (a first deploy's wave then applies again from its first
      // migration)
      Effect.onExit((exit) =>
        Exit.isSuccess(exit)
          ? Effect.void
          : state.release(sessionKey, ctx.env, Exit.isInterrupted(exit) ? exit : Exit.void),
      ),
    ),
  )
}
