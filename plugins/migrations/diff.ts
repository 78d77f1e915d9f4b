/** The migrations plan, purely from (desired, live). */
import type { DiffResult, PlannedChange } from "../../engine/index.ts"
import { pendingFor } from "./classify.ts"
import { safetyNotes, safetyProblems } from "./findings.ts"
import type { MigrationsLive } from "./observe.ts"
import type { DatabaseSpec } from "./spec.ts"

export interface MigrationChange {
  readonly name: string
}

const baselineMessage = (env: string) =>
  `the database schema is not empty and has no _prisma_migrations ledger: baseline it first with ` +
  `reconcile migrations baseline --env ${env} (Prisma P3005)`

/**
 * Pending migrations, one `run` step each in order, and what blocks them (a missing baseline, a
 * failed or modified migration) as plan problems: nothing is applied until they are resolved.
 */
export const diffMigrations = (
  desired: DatabaseSpec,
  live: MigrationsLive,
  env: string,
): DiffResult<MigrationChange> => {
  const spec = desired.migrations
  if (spec === undefined) return { changes: [] }
  if (live.needsBaseline)
    return { changes: [], problems: [{ key: "(baseline)", message: baselineMessage(env) }] }
  const { pending, blockers } = pendingFor(live.migrations, spec.target, env)
  const problems = [
    ...blockers.map((b) => ({ key: b.name, message: b.message })),
    ...safetyProblems(live.safety, pending, spec.safety ?? "warn"),
  ]
  const changes = pending.map((m): PlannedChange<MigrationChange> => {
    const notes = [
      ...(live.migrations.find((x) => x.name === m.name)?.notes ?? []),
      ...safetyNotes(live.safety, m.name),
    ]
    return {
      key: m.name,
      action: "run",
      before: m.status,
      after: "applied",
      reason:
        m.status === "rolled-back"
          ? "pending migration (an earlier attempt was rolled back)"
          : live.database === "missing"
            ? "pending migration (the database does not exist yet)"
            : "pending migration",
      ...(notes.length > 0 ? { notes } : {}),
      change: { name: m.name },
    }
  })
  return { changes, problems }
}

/** Applied migrations the folder no longer has are worth a warning (never an automatic change). */
export const migrationsWarnings = (live: MigrationsLive): ReadonlyArray<string> =>
  live.unknown.length === 0
    ? []
    : [`_prisma_migrations has applied migrations that are not in the folder: ${live.unknown.join(", ")}`]
