/**
 * Issue 16, item 5 (creation options) against the real simulator: an add-on is created with the
 * entry's `config`, the plan says so, a re-run is a no-op, and a later change of an option is a
 * warning that it applies only at creation (reported, never silently ignored, never applied).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, it } from "vitest"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { herokuLayer, startSim } from "../support/heroku.ts"
import { herokuPlugins } from "./support.ts"

const app = `addon-config-${process.pid}`
const dir = mkdtempSync(join(tmpdir(), "reconcile-addon-config-"))
let sim: Simulator

const write = (tier: string) =>
  writeFileSync(
    join(dir, "cfg.yaml"),
    `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: cfg }\nspec:\n  app: { name: ${app} }\n  addons:\n    - { plan: "papertrail:choklad", as: LOGS, config: { tier: ${tier} } }\n`,
  )
const run = (dryRun = false) =>
  reconcile({ plugins: herokuPlugins, dir, env: "cfg", layer: herokuLayer(sim), dryRun })

beforeAll(async () => {
  sim = await startSim()
})
afterAll(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

it("creates with the options, shows them, and reports a later change as applying only at creation", async () => {
  write("gold")
  const first = await run()
  expect(first.summary?.converged).toBe(true)
  expect(first.plan.steps.find((s) => s.address === "addons/LOGS")?.notes).toEqual([
    "created with config: tier=gold",
  ])
  const appId = sim.state().apps.find((a) => a.name === app)?.id
  expect(sim.state().addons.find((a) => a.appId === appId)?.config).toEqual({ tier: "gold" })

  const again = await run(true)
  expect(again.plan.isEmpty).toBe(true)
  expect(again.plan.problems).toEqual([])

  write("silver")
  const changed = await run(true)
  expect(changed.plan.isEmpty).toBe(true)
  expect(changed.plan.problems.map((p) => [p.address, p.severity, p.message])).toEqual([
    [
      "addons/LOGS",
      "warning",
      "config options apply only when an add-on is created: tier is gold live, silver in the manifest; left as is (to change them, create a new add-on and move the data)",
    ],
  ])
})
