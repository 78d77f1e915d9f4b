/**
 * Observing migrations: the folder on disk and the ledger in the database, classified. A database
 * that does not exist yet, or has no ledger, means everything is pending; a non-empty schema
 * without a ledger needs a baseline.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { allowedRoots, type PluginError, type RunContext } from "../../engine/index.ts"
import { dbTimeoutsOf, isMissingDatabase } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import { resolveDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { type Classified, classify, pendingFor } from "./classify.ts"
import { observeSafety, type SafetyLive } from "./facts.ts"
import { type MigrationFile, readMigrations } from "./folder.ts"
import { type LedgerRow, ledgerExists, readLedger, schemaIsEmpty } from "./ledger.ts"
import { serverVersionOf } from "./runner.ts"
import type { DatabaseSpec } from "./spec.ts"
import { notesOf } from "./statements.ts"

export interface MigrationsLive {
  readonly database: "present" | "missing"
  readonly ledger: boolean
  readonly needsBaseline: boolean
  readonly migrations: ReadonlyArray<Classified & { readonly notes: ReadonlyArray<string> }>
  readonly unknown: ReadonlyArray<string>
  /** Squawk's findings on the pending migrations, judged with live facts (absent: none pending). */
  readonly safety?: SafetyLive
}

/** The database's ledger state, or `missing` when the database is not there (dry-run only). */
export const observeLedger = (
  db: DatabaseSpec,
  ctx: RunContext,
): Effect.Effect<
  Option.Option<{ rows: ReadonlyArray<LedgerRow>; ledger: boolean; empty: boolean; serverVersion: number }>,
  PluginError,
  HerokuApi | Database
> =>
  Effect.scoped(
    Effect.gen(function* () {
      // absent until the add-on is provisioned: everything is pending (apply requires it)
      const url = yield* resolveDatabaseUrl(db.url, ctx.spec)
      if (Option.isNone(url)) return Option.none()
      const c = yield* (yield* Database).connect(url.value, dbTimeoutsOf(ctx.spec)).pipe(
        Effect.map(Option.some),
        Effect.catchIf(
          (e) => isMissingDatabase(e),
          () => Effect.succeed(Option.none()),
        ),
      )
      if (Option.isNone(c)) return Option.none()
      const serverVersion = yield* serverVersionOf(c.value)
      const ledger = yield* ledgerExists(c.value)
      const rows = ledger ? yield* readLedger(c.value) : []
      const empty = ledger ? true : yield* schemaIsEmpty(c.value)
      return Option.some({ rows, ledger, empty, serverVersion })
    }),
  )

/** Classifies a folder against an observed ledger. */
export const liveOf = (
  files: ReadonlyArray<MigrationFile>,
  seen: Option.Option<{
    rows: ReadonlyArray<LedgerRow>
    ledger: boolean
    empty: boolean
    serverVersion: number
  }>,
): MigrationsLive => {
  const rows = Option.match(seen, { onNone: () => [], onSome: (s) => s.rows })
  const serverVersion = Option.match(seen, { onNone: () => 150000, onSome: (s) => s.serverVersion })
  const { migrations, unknown } = classify(files, rows)
  return {
    database: Option.isSome(seen) ? "present" : "missing",
    ledger: Option.match(seen, { onNone: () => false, onSome: (s) => s.ledger }),
    needsBaseline: Option.match(seen, { onNone: () => false, onSome: (s) => !s.ledger && !s.empty }),
    migrations: migrations.map((m) => {
      const file = files.find((f) => f.name === m.name)
      return { ...m, notes: file === undefined ? [] : notesOf(file.sql, serverVersion) }
    }),
    unknown,
  }
}

/** Observes the migrations of a `database` section. */
export const observeMigrations = (
  db: DatabaseSpec,
  ctx: RunContext,
): Effect.Effect<MigrationsLive, PluginError, HerokuApi | Database> =>
  Effect.gen(function* () {
    if (db.migrations === undefined) {
      return {
        database: "present",
        ledger: false,
        needsBaseline: false,
        migrations: [],
        unknown: [],
      } as const
    }
    const files = yield* readMigrations(allowedRoots(ctx.manifestDir), db.migrations.dir)
    const seen = yield* observeLedger(db, ctx)
    const live = liveOf(files, seen)
    const { pending } = pendingFor(live.migrations, db.migrations.target, ctx.env)
    if (pending.length === 0 || live.needsBaseline) return live
    const version = Option.match(seen, { onNone: () => 150000, onSome: (s) => s.serverVersion })
    const names = pending.map((p) => p.name)
    const safety = yield* observeSafety(db, ctx, files, names, version, Option.isSome(seen))
    return { ...live, safety }
  })
