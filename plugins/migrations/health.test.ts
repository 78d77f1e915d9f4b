/** The migration level as health: the latest applied; pending is on its way; failed is a problem. */
import { expect, test } from "vitest"
import { migrationsHealth } from "./health.ts"
import type { MigrationsLive } from "./observe.ts"

const live = (...statuses: ReadonlyArray<string>): MigrationsLive => ({
  database: "present",
  ledger: true,
  needsBaseline: false,
  migrations: statuses.map((status, i) => ({
    name: `2026010${i}_m`,
    file: `2026010${i}_m/migration.sql`,
    status: status as MigrationsLive["migrations"][number]["status"],
    notes: [],
  })),
  unknown: [],
})

test("level, pending and failed migrations", () => {
  expect(migrationsHealth(live("applied", "applied"))).toMatchObject([
    {
      resource: "migrations/level",
      state: "healthy",
      detail: "at 20260101_m, 2 applied",
      facts: { level: "20260101_m" },
    },
  ])
  expect(migrationsHealth(live("applied", "pending"))[0]?.state).toBe("progressing")
  expect(migrationsHealth(live("applied", "failed"))[0]).toMatchObject({
    state: "unhealthy",
    detail: "at 20260100_m, 1 applied, 20260101_m failed",
  })
  expect(migrationsHealth({ ...live(), database: "missing" })).toEqual([])
})
