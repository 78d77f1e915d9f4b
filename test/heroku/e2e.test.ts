/**
 * The Heroku plugins end to end against the simulator over real HTTP: first-deploy dry-run, apply,
 * a no-op reconcile's request budget, one release for ten config changes, drift, and secrets.
 */

import * as Schema from "effect/Schema"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Summary } from "../../engine/apply/Summary.ts"
import { exitCodeForPlan } from "../../engine/cli/exitCodes.ts"
import { flattenMembers } from "../../engine/plan/Step.ts"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { herokuLayer, simToken, startSim } from "../support/heroku.ts"
import { herokuClient } from "../support/simClient.ts"
import { deploySample, herokuPlugins, renderings } from "./support.ts"

const dir = "test/fixtures/heroku/e2e"
const app = "nails-e2e"
const CANARY = "canary-jwt-5f1c0e7d3b"
const ROTATED = "canary-rotated-a91b77"

let sim: Simulator
const seen: string[] = []

const run = async (env: string, options: { dryRun?: boolean; secret?: string } = {}) => {
  const result = await reconcile({
    plugins: herokuPlugins,
    dir,
    env,
    layer: herokuLayer(sim),
    dryRun: options.dryRun ?? false,
    secrets: { JWT_SECRET: options.secret ?? CANARY },
  })
  seen.push(...renderings(result.plan, result.summary))
  return result
}
/** Every change the plan shows, a group's members each on their own. */
const addresses = (r: Awaited<ReturnType<typeof run>>) =>
  flattenMembers(r.plan.steps).map((s) => `${s.action} ${s.address}`)
const releases = () => sim.counters().releasesByApp[app] ?? 0
const liveConfig = async () =>
  (await herokuClient(sim.url, simToken).call("GET", `/apps/${app}/config-vars`)).body as Record<
    string,
    string
  >

beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())

describe("Heroku plugins end to end", () => {
  it("a first-deploy dry-run plans creates and sends no mutating request", async () => {
    const { plan } = await run("full", { dryRun: true })
    expect(sim.counters().mutatingRequests).toBe(0)
    expect(addresses({ plan, summary: undefined })).toEqual([
      "create app/nails-e2e",
      "create addons/DATABASE",
      "create addons/REDIS",
      ...[
        "API_BASE",
        "CACHE_TTL",
        "FEATURE_SEARCH",
        "JWT_SECRET",
        "LOG_LEVEL",
        "MAX_UPLOAD_MB",
        "NODE_ENV",
        "REGION_LABEL",
        "SUPPORT_EMAIL",
        "WEB_CONCURRENCY",
      ].map((k) => `create config/${k}`),
      "create formation/web",
      "create formation/worker",
    ])
    expect(flattenMembers(plan.steps).find((s) => s.address === "config/JWT_SECRET")?.sensitive).toBe(true)
    // the required keys come from the add-ons this plan creates: a warning, checked again once they exist
    expect(plan.problems.map((p) => [p.address, p.severity])).toEqual([["config/(required)", "warning"]])
  })

  it("applies, then a no-op reconcile reads at most 6 times and writes nothing", async () => {
    const base = await run("base")
    expect(base.summary?.converged).toBe(true)
    await deploySample(sim, app)
    const full = await run("full")
    expect(full.summary?.converged, JSON.stringify(full.summary?.results)).toBe(true)
    expect(addresses(full)).toEqual(["update formation/web", "update formation/worker"])
    const state = sim.state()
    const appId = state.apps.find((a) => a.name === app)?.id
    expect(
      state.addons
        .filter((a) => a.appId === appId)
        .map((a) => a.service)
        .sort(),
    ).toEqual(["heroku-postgresql", "heroku-redis"])
    expect(
      state.apps.find((a) => a.name === app)?.formation.map((f) => [f.type, f.quantity, f.size]),
    ).toEqual([
      ["web", 2, "Standard-1X"],
      ["worker", 1, "Basic"],
    ])
    expect(await liveConfig()).toMatchObject({
      NODE_ENV: "production",
      JWT_SECRET: CANARY,
      WEB_CONCURRENCY: "2",
    })

    sim.resetObservations()
    const noop = await run("full")
    expect(noop.plan.steps).toEqual([])
    expect(noop.summary?.converged).toBe(true)
    const log = sim.requestLog()
    expect(log.length, log.map((e) => `${e.method} ${e.path}`).join("\n")).toBeLessThanOrEqual(6)
    expect(sim.counters().mutatingRequests).toBe(0)
  })

  it("ten config changes (sets and unsets together) make exactly one release", async () => {
    const patches = () =>
      sim.requestLog().filter((e) => e.method === "PATCH" && e.path.endsWith("/config-vars"))
    sim.resetObservations()
    const before = releases()
    const changed = await run("changed", { secret: ROTATED })
    expect(changed.summary?.converged, JSON.stringify(changed.summary?.results)).toBe(true)
    expect(changed.plan.steps.filter((s) => s.plugin === "config").map((s) => s.address)).toEqual([
      "config/vars",
    ])
    const configSteps = flattenMembers(changed.plan.steps).filter((s) => s.plugin === "config")
    expect(configSteps).toHaveLength(10)
    // one PATCH, one release, one summary result that lists the ten vars (in the JSON summary too)
    expect(patches()).toHaveLength(1)
    const results = changed.summary?.results.filter((r) => r.plugin === "config") ?? []
    expect(results).toHaveLength(1)
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(Summary)(changed.summary!))) as {
      results: Array<{ address: string; members?: Array<string> }>
    }
    expect(json.results.find((r) => r.address === "config/vars")?.members).toEqual(
      configSteps.map((s) => s.address),
    )
    expect(configSteps.filter((s) => s.action === "delete").map((s) => s.address)).toEqual([
      "config/CACHE_TTL",
      "config/REGION_LABEL",
      "config/SUPPORT_EMAIL",
    ])
    expect(releases() - before).toBe(1)
    const vars = await liveConfig()
    expect(vars).toMatchObject({ NODE_ENV: "staging", NEW_FLAG: "1", JWT_SECRET: ROTATED })
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(["DATABASE_URL", "REDIS_URL"]))
    expect(vars).not.toHaveProperty("CACHE_TTL")
    const rotated = configSteps.find((s) => s.address === "config/JWT_SECRET")
    expect([rotated?.before, rotated?.after].map((v) => (v as { _tag?: string })?._tag)).toEqual([
      "Sensitive",
      "Sensitive",
    ])
  })

  it("after apply a dry-run plans nothing; an out-of-band change is drift naming the key", async () => {
    expect((await run("changed", { dryRun: true, secret: ROTATED })).plan.steps).toEqual([])
    const api = herokuClient(sim.url, simToken)
    await api.call("PATCH", `/apps/${app}/config-vars`, { body: { LOG_LEVEL: "trace" } })
    sim.resetObservations()
    const drift = await run("changed", { dryRun: true, secret: ROTATED })
    expect(addresses(drift)).toEqual(["update config/LOG_LEVEL"])
    expect(flattenMembers(drift.plan.steps)[0]).toMatchObject({ before: "trace", after: "debug" })
    expect(sim.counters().mutatingRequests).toBe(0)
  })

  it("a failed secret write says why without the secret", async () => {
    sim.setFaults({ errors: [{ route: "PATCH /apps/*/config-vars", rate: 1, status: 500 }] })
    try {
      const failed = await run("failing", { secret: CANARY })
      expect(failed.summary?.results.find((r) => r.members?.includes("config/JWT_SECRET"))).toMatchObject({
        status: "failed",
        reason: "Unavailable",
      })
    } finally {
      sim.setFaults({})
    }
  })

  it("a missing required key is a plan problem: the dry-run exits 1 and an apply writes nothing", async () => {
    const writes = sim.counters().mutatingRequests
    const { plan, summary } = await run("required")
    expect(plan.steps.map((s) => `${s.action} ${s.address}`)).toEqual(["update formation/processes"])
    expect(plan.errors.map((p) => [p.address, p.message])).toEqual([
      [
        "config/(required)",
        "required config vars are missing: SENTRY_DSN (declare them in config.vars, or add the add-on that sets them)",
      ],
    ])
    expect(exitCodeForPlan(plan, false)).toBe(1)
    expect(summary?.results.map((r) => [r.address, r.status])).toEqual([["formation/processes", "skipped"]])
    expect(summary?.error).toContain(
      "so nothing was applied: config/(required): required config vars are missing",
    )
    expect(sim.counters().mutatingRequests).toBe(writes)
  })

  it("the fromEnv canary never appears in any plan, summary, rendering or error message", () => {
    expect(seen.length).toBeGreaterThan(20)
    for (const text of seen) {
      expect(text).not.toContain(CANARY)
      expect(text).not.toContain(ROTATED)
    }
  })
})
