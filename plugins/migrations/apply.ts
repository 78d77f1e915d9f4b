/**
 * Applying a migration: every pending one up to it, each with its ledger row in one transaction.
 * The steps of one migrations wave share one session (opened by the first, holding the migrations
 * lock, with the server version, the folder and the ledger read once; the ledger is then known from
 * what the session applied, as the lock keeps other runners out): a step costs the migration's own
 * round trip. The step that leaves nothing pending, and any failure, closes it.
 */
import * as Effect from "effect/Effect"
import type pg from "pg"
import { allowedRoots, done, PluginError, type RunContext, RunState, runKey } from "../../engine/index.ts"
import { dbTimeoutsOf } from "../../services/database/connect.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { type Classified, classify, pendingFor } from "./classify.ts"
import { type MigrationFile, readMigrations } from "./folder.ts"
import { createLedgerLazily, readLedger } from "./ledger.ts"
import { applyUpTo } from "./runner.ts"
import { migrationSession } from "./session.ts"
import type { DatabaseSpec, MigrationsSpec } from "./spec.ts"

const dbOf = (ctx: RunContext) => ctx.spec.database as DatabaseSpec

/** What the steps of one migrations wave share. */
interface Session {
  readonly client: pg.Client
  readonly serverVersion: number
  /** The ledger table, schema-qualified. */
  readonly ledger: string
  readonly files: ReadonlyArray<MigrationFile>
  /** The folder classified against the ledger as the session opened it. */
  readonly classified: ReadonlyArray<Classified>
  /** Names this session applied since (per-run state, dropped with the session). */
  readonly applied: Set<string>
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
        Effect.either(readMigrations(allowedRoots(ctx.manifestDir), spec.dir)),
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
    // a ledger just created is empty: nothing to read back
    const rows = opened.ledgerExists
      ? yield* readLedger(client)
      : yield* createLedgerLazily(client).pipe(Effect.as([]))
    const { migrations } = classify(files, rows)
    const session: Session = {
      client,
      serverVersion: opened.serverVersion,
      ledger: opened.ledger,
      files,
      classified: migrations,
      applied: new Set(),
    }
    return session
  })

/** Applies the pending migrations up to `name` (a no-op when it was already applied). */
export const applyMigration = (name: string, ctx: RunContext) =>
  Effect.gen(function* () {
    const db = dbOf(ctx)
    const spec = db.migrations
    if (spec === undefined) return done("no migrations declared")
    const state = yield* RunState
    const step = Effect.gen(function* () {
      const s = yield* state.resource(sessionKey, ctx.env, openSession(db, spec, ctx))
      const migrations = s.classified.map((m) =>
        s.applied.has(m.name) ? { name: m.name, file: m.file, status: "applied" as const } : m,
      )
      const { pending } = pendingFor(migrations, spec.target, ctx.env)
      // the wave's last migration commits durably, which flushes the earlier ones' commits too
      const last = pending.length === 0 || pending[pending.length - 1]!.name === name
      const applied = yield* applyUpTo(s.client, s.files, migrations, {
        target: spec.target,
        upTo: name,
        env: ctx.env,
        serverVersion: s.serverVersion,
        durable: last,
        ledger: s.ledger,
      })
      for (const n of applied) s.applied.add(n)
      if (last) yield* state.release(sessionKey, ctx.env)
      return done(applied.length === 0 ? `${name} was already applied` : `applied ${applied.join(", ")}`)
    })
    // a failed step may leave the session broken: the next attempt opens a fresh one
    return yield* step.pipe(Effect.tapError(() => state.release(sessionKey, ctx.env)))
  })
