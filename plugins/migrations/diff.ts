/** The migrations plan, purely from (desired, live): one `run` step per pending migration, in order. */
import type { PlannedChange } from "../../engine/index.ts"
import type { DatabaseSpec } from "../../services/database/section.ts"
import { pendingFor } from "./classify.ts"
import type { MigrationsLive } from "./observe.ts"

export type MigrationChange =
  | { readonly kind: "migrate"; readonly name: string }
  | { readonly kind: "blocked"; readonly message: string }

const baselineMessage = (env: string) =>
  `the database schema is not empty and has no _prisma_migrations ledger: baseline it first with ` +
  `reconcile migrations baseline --env ${env} (Prisma P3005)`

/** Pending migrations and blockers for a desired target. */
export const diffMigrations = (
  desired: DatabaseSpec,
  live: MigrationsLive,
  env: string,
): ReadonlyArray<PlannedChange<MigrationChange>> => {
  const spec = desired.migrations
  if (spec === undefined) return []
  if (live.needsBaseline) {
    const message = baselineMessage(env)
    return [{ key: "(baseline)", action: "run", reason: message, change: { kind: "blocked", message } }]
  }
  const { pending, blockers } = pendingFor(live.migrations, spec.target, env)
  const steps: Array<PlannedChange<MigrationChange>> = []
  for (const b of blockers) {
    if (pending.some((p) => p.name === b.name)) continue
    steps.push({
      key: b.name,
      action: "run",
      reason: `blocked: ${b.message}`,
      change: { kind: "blocked", message: b.message },
    })
  }
  for (const m of pending) {
    const blocker = blockers.find((b) => b.name === m.name)
    const notes = live.migrations.find((x) => x.name === m.name)?.notes ?? []
    steps.push({
      key: m.name,
      action: "run",
      before: m.status,
      after: "applied",
      reason:
        blocker !== undefined
          ? `blocked: ${blocker.message}`
          : m.status === "rolled-back"
            ? "pending migration (an earlier attempt was rolled back)"
            : live.database === "missing"
              ? "pending migration (the database does not exist yet)"
              : "pending migration",
      ...(notes.length > 0 ? { notes } : {}),
      change: { kind: "migrate", name: m.name },
    })
  }
  return steps
}
