/** The app plugin against the simulator: an existing app's settings converge; its region is only reported. */
import { afterAll, beforeAll, expect, it } from "vitest"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { herokuLayer, simToken, startSim } from "../support/heroku.ts"
import { herokuClient } from "../support/simClient.ts"
import { herokuPlugins } from "./support.ts"

let sim: Simulator
beforeAll(async () => {
  sim = await startSim()
  await herokuClient(sim.url, simToken).call("POST", "/apps", {
    body: { name: "nails-settings", region: "us", stack: "heroku-22" },
  })
})
afterAll(() => sim.close())

const run = () =>
  reconcile({
    plugins: herokuPlugins,
    dir: "test/fixtures/heroku/app",
    env: "settings",
    layer: herokuLayer(sim),
  })

it("updates build stack, buildpacks and maintenance of an existing app, and warns about its region", async () => {
  const { plan, summary } = await run()
  expect(plan.steps.map((s) => `${s.action} ${s.address}`)).toEqual([
    "update app/buildpacks",
    "update app/maintenance",
    "update app/stack",
  ])
  expect(plan.warnings).toEqual([expect.stringContaining("region us, the manifest says eu")])
  expect(summary?.converged).toBe(true)
  const app = sim.state().apps.find((a) => a.name === "nails-settings")
  expect([app?.region, app?.buildStack, app?.maintenance, app?.buildpacks]).toEqual([
    "us",
    "heroku-24",
    true,
    ["heroku/nodejs", "heroku/python"],
  ])
  const puts = sim.requestLog().filter((e) => e.method === "PUT")
  expect(puts).toHaveLength(1)
  expect((await run()).plan.steps).toEqual([])
})
