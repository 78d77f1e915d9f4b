/**
 * The `backup` plugin (wave `backup`, before migrations and reference data): a verified backup
 * whenever either will change (or on every apply with `always: true`). Whether they will change is
 * computed with the very observe and diff functions those plugins use. A failed or unverifiable
 * backup fails the wave, so the later waves never run.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { definePlugin, type RunContext, RunState, runKey, type SecretEnv } from "../../engine/index.ts"
import type { DatabaseSpec } from "../../services/database/section.ts"
import { databaseSection } from "../../services/database/section.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { diffMigrations } from "../migrations/diff.ts"
import { observeMigrations } from "../migrations/observe.ts"
import { diffReferenceData } from "../reference-data/diff.ts"
import { observeReferenceData } from "../reference-data/observe.ts"
import { herokuBackup } from "./heroku.ts"
import { pgDumpBackup } from "./pgDump.ts"

export interface BackupLive {
  /** Why a backup is needed now; empty when none is. */
  readonly reasons: ReadonlyArray<string>
}

export interface BackupChange {
  readonly provider: "heroku" | "pg_dump"
}

/** When this run's pending backup was first attempted (see heroku.ts: a retry adopts that capture). */
const firstAttempt = runKey<Date>("backup.firstAttempt")

/** Set once this run took a backup (`always: true` means once per apply run). */
const taken = runKey<true>("backup.taken")

const observe = (db: DatabaseSpec, ctx: RunContext) =>
  Effect.gen(function* () {
    const provider = db.backup?.provider ?? "none"
    if (provider === "none") return { reasons: [] }
    const reasons: Array<string> = []
    // both observed at once (their reads of the database URL are then one request)
    const [migrations, referenceData] = yield* Effect.all(
      [
        db.migrations === undefined ? Effect.succeed(null) : observeMigrations(db, ctx),
        db.referenceData === undefined ? Effect.succeed(null) : observeReferenceData(db, ctx),
      ],
      { concurrency: "unbounded" },
    )
    if (migrations !== null) {
      const steps = diffMigrations(db, migrations, ctx.env)
      if (steps.length > 0) reasons.push(`${steps.length} migration(s) pending`)
    }
    if (db.referenceData !== undefined && referenceData !== null) {
      const steps = diffReferenceData(db.referenceData, referenceData)
      if (steps.length > 0)
        reasons.push(
          `reference data changes in ${steps.flatMap((s) => s.members?.map((m) => m.key) ?? [s.key]).join(", ")}`,
        )
    }
    const state = yield* RunState
    const takenThisRun = Option.isSome(yield* state.get(taken, ctx.env))
    if (db.backup?.always === true && !takenThisRun) reasons.push("backup.always is set")
    return { reasons }
  })

/** What the backup plugin needs from the context. */
export type BackupServices = HerokuApi | HerokuDataApi | SecretEnv | RunState

export const backupPlugin = definePlugin<DatabaseSpec, BackupLive, BackupChange, BackupServices>({
  name: "backup",
  section: databaseSection,
  wave: "backup",
  observe,
  diff: (db: DatabaseSpec, live: BackupLive) => {
    const provider = db.backup?.provider
    if (provider === undefined || provider === "none" || live.reasons.length === 0) return []
    return [
      {
        key: provider,
        action: "run" as const,
        after: provider === "heroku" ? "Heroku Data API backup" : "pg_dump custom-format file",
        reason: `back up before changing the database: ${live.reasons.join("; ")}`,
        notes: ["migrations and reference data run only if this backup succeeds and is verified"],
        change: { provider },
      },
    ]
  },
  apply: (change: BackupChange, ctx) => {
    const db = ctx.spec.database as DatabaseSpec
    return Effect.gen(function* () {
      const state = yield* RunState
      // every attempt until this backup succeeds shares the first attempt's start time
      const since = Option.getOrElse(yield* state.get(firstAttempt, ctx.env), () => new Date())
      yield* state.set(firstAttempt, since, ctx.env)
      yield* state.set(taken, true, ctx.env)
      const result = yield* change.provider === "heroku"
        ? herokuBackup(db, ctx, since)
        : Effect.flatMap(requireDatabaseUrl(db.url, ctx.spec), (url) => pgDumpBackup(url, ctx))
      // a later pass that needs another backup starts a fresh one
      if (result._tag === "Done") yield* state.remove(firstAttempt, ctx.env)
      return result
    })
  },
  warnings: (db: DatabaseSpec) =>
    db.backup?.provider === "none"
      ? [
          "database backups are disabled (backup.provider: none): migrations and reference data run without one",
        ]
      : [],
})
