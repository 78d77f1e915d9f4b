/** The add-ons plugin against the simulator: provisioning, plan changes, protection, deletion. */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { herokuLayer, simToken, startSim } from "../support/heroku.ts"
import { herokuClient } from "../support/simClient.ts"
import { herokuPlugins } from "./support.ts"

const app = "nails-addons"
let sim: Simulator

const run = (env: string, options: { dryRun?: boolean; allowDestroy?: boolean } = {}) =>
  reconcile({
    plugins: herokuPlugins,
    dir: "test/fixtures/heroku/addons",
    env,
    layer: herokuLayer(sim),
    ...options,
  })

const addons = () => {
  const state = sim.state()
  const appId = state.apps.find((a) => a.name === app)?.id
  return state.addons
    .filter((a) => a.appId === appId)
    .map((a) => ({ id: a.id, plan: `${a.service}:${a.plan}` }))
}

beforeAll(async () => {
  sim = await startSim({ provisionDelayMs: 200 })
  const api = herokuClient(sim.url, simToken)
  await api.call("POST", "/apps", { body: { name: app } })
  await api.call("POST", `/apps/${app}/addons`, { body: { plan: "papertrail:choklad" } })
})
afterAll(() => sim.close())

describe("addons plugin", () => {
  it("provisions and waits; an undeclared add-on is left alone with a warning", async () => {
    const { plan, summary } = await run("start")
    expect(summary?.converged).toBe(true)
    expect(plan.warnings).toEqual([
      expect.stringMatching(/papertrail:choklad, attached as PAPERTRAIL\) is not in the manifest/),
    ])
    expect(
      addons()
        .map((a) => a.plan)
        .sort(),
    ).toEqual(["heroku-postgresql:essential-0", "heroku-redis:mini", "papertrail:choklad"])
    const polls = sim.requestLog().filter((e) => e.method === "GET" && /\/addons\/[^/]+$/.test(e.path))
    expect(polls.length).toBeGreaterThan(0)
  })

  it("changes a plan in place", async () => {
    const before = addons().find((a) => a.plan.startsWith("heroku-redis"))
    const { plan, summary } = await run("upgrade")
    expect(plan.steps.map((s) => `${s.action} ${s.address}`)).toEqual(["update addons/REDIS"])
    expect(summary?.converged).toBe(true)
    expect(addons().find((a) => a.id === before?.id)?.plan).toBe("heroku-redis:premium-0")
  })

  it("refuses at plan time to replace a protected data add-on: a plan problem, and an apply writes nothing", async () => {
    const { plan } = await run("replace", { dryRun: true })
    expect(plan.errors.map((p) => p.message)).toEqual([
      expect.stringMatching(/would be deleted .* protected; set protect: false/),
    ])
    const writes = sim.counters().mutatingRequests
    const applied = await run("replace", { allowDestroy: true })
    expect(applied.summary?.error).toMatch(
      /the plan has 1 problem\(s\), so nothing was applied: addons: .*protected/,
    )
    expect(sim.counters().mutatingRequests).toBe(writes)
  })

  it("deletes an absent add-on only with protect: false and when destruction is allowed", async () => {
    const refused = await run("drop")
    expect(refused.summary?.results.map((r) => r.status)).toEqual(["refused"])
    expect(addons()).toHaveLength(3)
    const dropped = await run("drop", { allowDestroy: true })
    expect(dropped.summary?.converged).toBe(true)
    expect(
      addons()
        .map((a) => a.plan)
        .sort(),
    ).toEqual(["heroku-redis:premium-0", "papertrail:choklad"])
  })
})
