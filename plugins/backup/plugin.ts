/**
 * The `backup` plugin (wave `backup`, before migrations and reference data): a verified backup
 * whenever either will change (or on every apply with `always: true`). Whether they will change it
 * learns from the plan: the engine hands it the later waves' planned steps. A failed or unverifiable
 * backup fails the wave, so the later waves never run.
 */
import { definePlugin, type RunState, type SecretEnv } from "../../engine/index.ts"
import type { Database } from "../../services/database/Database.ts"
import type { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyBackup } from "./apply.ts"
import { type BackupChange, type BackupLive, backupWarnings, diffBackup } from "./diff.ts"
import { observeBackup } from "./observe.ts"
import { type DatabaseSpec, databaseSection } from "./spec.ts"

/** What the backup plugin needs from the context. */
export type BackupServices = HerokuApi | HerokuDataApi | Database | SecretEnv | RunState

export const backupPlugin = definePlugin<DatabaseSpec, BackupLive, BackupChange, BackupServices>({
  name: "backup",
  section: databaseSection,
  wave: "backup",
  // learns from the plan whether the later waves change the database
  seesLaterWaves: true,
  observe: observeBackup,
  diff: (db, live, _ctx, view) => diffBackup(db, live, view),
  apply: applyBackup,
  warnings: backupWarnings,
})
