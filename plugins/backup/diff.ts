/** The backup diff: one `run` step when the later waves change the database (learned from the plan). */
import { emptyView, memberAddresses, type PlanView, type Step } from "../../engine/index.ts"
import type { DatabaseSpec } from "./spec.ts"

export interface BackupLive {
  readonly takenThisRun: boolean
  readonly always: boolean
}

export interface BackupChange {
  readonly provider: "heroku" | "pg_dump"
}

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

/**
 * A backup step with its provider when there is a reason and a provider other than `none`. A backup
 * wanted only because of `always: true` in a plan that changes nothing else is an action, not
 * state: a `noop` step, which an apply still runs, so an in-sync environment plans no change and a
 * drift check exits 0.
 */
export const diffBackup = (db: DatabaseSpec, live: BackupLive, view: PlanView = emptyView) => {
  const provider = db.backup?.provider
  const reasons = backupReasons(live, view)
  if (provider === undefined || provider === "none" || reasons.length === 0) return []
  const others = [...view.earlier, ...view.later].some((s) => s.action !== "noop")
  const onlyAlways = reasons.length === 1 && live.always && !live.takenThisRun && !others
  return [
    {
      key: provider,
      action: onlyAlways ? ("noop" as const) : ("run" as const),
      after: provider === "heroku" ? "Heroku Data API backup" : "pg_dump custom-format file",
      reason: onlyAlways
        ? "backup.always is set: taken on every apply (an action, not drift)"
        : `back up before changing the database: ${reasons.join("; ")}`,
      notes: ["migrations and reference data run only if this backup succeeds and is verified"],
      change: { provider } satisfies BackupChange,
    },
  ]
}

/** Disabled backups are worth a warning on every plan. */
export const backupWarnings = (db: DatabaseSpec) =>
  db.backup?.provider === "none"
    ? ["database backups are disabled (backup.provider: none): migrations and reference data run without one"]
    : []
