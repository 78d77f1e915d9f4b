/**
 * The `backup` plugin (wave `backup`, before migrations and reference data): a verified backup
 * whenever either will change (or on every apply with `always: true`), and the daily backup
 * schedule the manifest declares (schedule.ts). Whether the later waves change the database it
 * learns from the plan: the engine hands it the later waves' planned steps. A failed or
 * unverifiable backup fails the wave, so the later waves never run.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { definePlugin, type RunState, type SecretEnv } from "../../engine/index.ts"
import type { Database } from "../../services/database/Database.ts"
import type { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyBackup, backupLanded } from "./apply.ts"
import { type BackupChange, type BackupLive, backupWarnings, diffBackup } from "./diff.ts"
import { observeBackup } from "./observe.ts"
import {
  applySchedule,
  diffSchedule,
  type LiveSchedule,
  observeSchedule,
  type ScheduleChange,
  scheduleProblems,
} from "./schedule.ts"
import { type DatabaseSpec, databaseSection } from "./spec.ts"

/** What the backup plugin needs from the context. */
export type BackupServices = HerokuApi | HerokuDataApi | Database | SecretEnv | RunState

interface Live extends BackupLive {
  readonly schedule: LiveSchedule | null
}

export const backupPlugin = definePlugin<DatabaseSpec, Live, BackupChange | ScheduleChange, BackupServices>({
  name: "backup",
  section: databaseSection,
  wave: "backup",
  // learns from the plan whether the later waves change the database
  seesLaterWaves: true,
  observe: (db, ctx) =>
    Effect.all({ backup: observeBackup(db, ctx), schedule: observeSchedule(db, ctx) }).pipe(
      Effect.map(({ backup, schedule }) => ({ ...backup, schedule })),
    ),
  diff: (db, live, _ctx, view) => ({
    changes: [...diffBackup(db, live, view), ...diffSchedule(db, live.schedule)],
    problems: scheduleProblems(db),
  }),
  apply: (change, ctx) =>
    "schedule" in change
      ? applySchedule(change, ctx.spec.database as DatabaseSpec, ctx)
      : applyBackup(change, ctx),
  landed: (change, ctx) => ("schedule" in change ? Effect.succeed(Option.none()) : backupLanded(change, ctx)),
  warnings: backupWarnings,
})
