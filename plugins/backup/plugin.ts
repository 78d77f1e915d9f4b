/**
 * The `backup` plugin (wave `backup`, before migrations and reference data): a verified backup
 * whenever either will change (or on every apply with `always: true`). Whether they will change it
 * learns from the plan: the engine hands it the later waves' planned steps. A failed or unverifiable
 * backup fails the wave, so the later waves never run.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import {
  definePlugin,
  emptyView,
  memberAddresses,
  type PlanView,
  type RunContext,
  RunState,
  runKey,
  type SecretEnv,
  type Step,
} from "../../engine/index.ts"
import type { DatabaseSpec } from "../../services/database/section.ts"
import { databaseSection } from "../../services/database/section.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { herokuBackup } from "./heroku.ts"
import { pgDumpBackup } from "./pgDump.ts"

export interface BackupLive {
  readonly takenThisRun: boolean
  readonly always: boolean
}

export interface BackupChange {
  readonly provider: "heroku" | "pg_dump"
}

/** When this run's pending backup was first attempted (see heroku.ts: a retry adopts that capture). */
const firstAttempt = runKey<Date>("backup.firstAttempt")

/** Set once this run took a backup (`always: true` means once per apply run). */
const taken = runKey<true>("backup.taken")

/** Only whether this run already took a backup: what changes the database comes from the plan. */
const observe = (db: DatabaseSpec, ctx: RunContext) =>
  Effect.gen(function* () {
    const state = yield* RunState
    const takenThisRun = Option.isSome(yield* state.get(taken, ctx.env))
    return { takenThisRun, always: db.backup?.always === true }
  })

/** The database-changing waves that run after this one. */
const changesDatabase = (step: Step) => step.wave === "migrations" || step.wave === "reference-data"

/** Why a backup is needed, from the later waves' planned steps (migrations, reference data). */
export const backupReasons = (live: BackupLive, view: PlanView): ReadonlyArray<string> => {
  const later = view.later.filter(changesDatabase)
  const migrations = later.filter((s) => s.wave === "migrations")
  const data = later.filter((s) => s.wave === "reference-data").flatMap((s) => memberAddresses(s))
  return [
    ...(migrations.length > 0 ? [`${migrations.length} migration(s) pending`] : []),
    ...(data.length > 0
      ? [`reference data changes in ${data.map((a) => a.replace(/^[^/]+\//, "")).join(", ")}`]
      : []),
    ...(live.always && !live.takenThisRun ? ["backup.always is set"] : []),
  ]
}

/** What the backup plugin needs from the context. */
export type BackupServices = HerokuApi | HerokuDataApi | SecretEnv | RunState

export const backupPlugin = definePlugin<DatabaseSpec, BackupLive, BackupChange, BackupServices>({
  name: "backup",
  section: databaseSection,
  wave: "backup",
  // learns from the plan whether the later waves change the database
  seesLaterWaves: true,
  observe,
  diff: (db: DatabaseSpec, live: BackupLive, _ctx, view = emptyView) => {
    const provider = db.backup?.provider
    const reasons = backupReasons(live, view)
    if (provider === undefined || provider === "none" || reasons.length === 0) return []
    return [
      {
        key: provider,
        action: "run" as const,
        after: provider === "heroku" ? "Heroku Data API backup" : "pg_dump custom-format file",
        reason: `back up before changing the database: ${reasons.join("; ")}`,
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
