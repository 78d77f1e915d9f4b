/**
 * One comparison per plan: a dry-run of the full manifest (every plugin, a Heroku backup before
 * migrations and reference data) with a pending reference-data change compares the dataset with the
 * database once. backup learns that the data changes from the planned steps, not by observing
 * reference data itself (which ran the comparison, two temp-table COPYs, a second time).
 */
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { compareLogLine } from "../../plugins/reference-data/sync.ts"
import type { Simulator } from "../../sim/index.ts"
import { makeOwner } from "../reliability/chaosObserve.ts"
import { canaries, simServices } from "../reliability/support.ts"
import { testPlugins as plugins } from "../stand-ins/plugins.ts"
import { reconcile } from "../support/engine.ts"
import { startSim } from "../support/heroku.ts"

const dir = "test/fixtures/reliability/chaos"
let sim: Simulator

beforeAll(async () => {
  sim = await startSim({ provisionDelayMs: 10, onError: () => {} })
  // the chaos fixture attaches another app's add-on
  await makeOwner(sim)
})
afterAll(() => sim.close())

const run = (logs: Array<string>, dryRun: boolean) =>
  reconcile({
    plugins,
    dir,
    env: "full",
    layer: Layer.merge(simServices(sim, logs), Logger.minimumLogLevel(LogLevel.Debug)),
    secrets: canaries,
    dryRun,
  })

describe("the dataset comparison", () => {
  it("runs once in a dry-run with a pending reference-data change, and backup still plans for it", async () => {
    const applied = await run([], false)
    expect(applied.summary?.converged, JSON.stringify(applied.summary?.error)).toBe(true)
    const url = sim.state().apps.find((a) => a.name === "nails-chaos")?.config.DATABASE_URL
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    try {
      await c.query("DELETE FROM services WHERE ctid IN (SELECT ctid FROM services LIMIT 1)")
    } finally {
      await c.end()
    }
    const logs: Array<string> = []
    const { plan } = await run(logs, true)
    expect(logs.filter((l) => l.includes(compareLogLine))).toHaveLength(1)
    expect(plan.steps.map((s) => s.address)).toEqual(["backup/heroku", "reference-data/dataset"])
    expect(plan.steps[0]?.reason).toContain("reference data changes in services")
  }, 120_000)
})
