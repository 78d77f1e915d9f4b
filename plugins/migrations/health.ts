/** The migration level as health: the latest applied migration; a failed one is a problem, pending ones are on their way. */
import type { HealthReport } from "../../engine/index.ts"
import type { MigrationsLive } from "./observe.ts"

/** Pure: one `migrations/level` report; nothing while the database does not exist. */
export const migrationsHealth = (live: MigrationsLive): ReadonlyArray<HealthReport> => {
  if (live.database === "missing") return []
  const applied = live.migrations.filter((m) => m.status === "applied")
  const pending = live.migrations.filter((m) => m.status === "pending" || m.status === "rolled-back")
  const failed = live.migrations.filter((m) => m.status === "failed")
  const level = applied.at(-1)?.name ?? null
  const parts = [
    level === null ? "no migration applied" : `at ${level}`,
    `${applied.length} applied`,
    ...(pending.length > 0 ? [`${pending.length} pending`] : []),
    ...(failed.length > 0 ? [`${failed.map((m) => m.name).join(", ")} failed`] : []),
  ]
  return [
    {
      resource: "migrations/level",
      state: failed.length > 0 ? "unhealthy" : pending.length > 0 ? "progressing" : "healthy",
      detail: parts.join(", "),
      facts: { level, applied: applied.length, pending: pending.length, failed: failed.length },
    },
  ]
}
