/**
 * Issue 18's preview target, "observation ≤ 2 round trips deep", counted causally (bench/depth.ts):
 * each call's depth is how many calls its fiber waited for one after another before it, so the
 * figure does not depend on how fast a loaded machine starts concurrent requests. A dry-run that
 * needs every optional read (buildpacks and features, a changed add-on plan with creation options,
 * an attach not made yet, a changed dyno size) still reads everything in two waves: what the
 * manifest names, then what those answers call for.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import { afterAll, beforeAll, expect, it } from "vitest"
import { type CountedCall, depthCounting, depthOfCalls } from "../../bench/depth.ts"
import { dataApiLayer } from "../../services/heroku/DataApi.ts"
import { layer as herokuApiLayer } from "../../services/heroku/HerokuApi.ts"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { simToken, startSim } from "../support/heroku.ts"
import { herokuClient, waitFor } from "../support/simClient.ts"
import { herokuPlugins } from "./support.ts"

const tag = `${process.pid}-${Date.now().toString(36)}`
const app = `depth-${tag}`
const owner = `depth-owner-${tag}`
const dir = mkdtempSync(join(tmpdir(), "reconcile-depth-"))
let sim: Simulator
let shared = ""

beforeAll(async () => {
  sim = await startSim()
  const api = herokuClient(sim.url, simToken)
  await api.call("POST", "/apps", { body: { name: app } })
  await api.call("PUT", `/apps/${app}/buildpack-installations`, {
    body: { updates: [{ buildpack: "heroku/python" }] },
  })
  await api.call("POST", `/apps/${app}/addons`, { body: { plan: "papertrail:choklad" } })
  await api.call("POST", "/apps", { body: { name: owner } })
  const made = await api.call("POST", `/apps/${owner}/addons`, { body: { plan: "heroku-redis:mini" } })
  shared = (made.body as { name: string }).name
  const addons = async (name: string) =>
    (await api.call("GET", `/apps/${name}/addons`)).body as ReadonlyArray<{ state: string }>
  await waitFor(async () =>
    (await addons(app)).every((a) => a.state === "provisioned") &&
    (await addons(owner)).every((a) => a.state === "provisioned")
      ? true
      : undefined,
  )
}, 120_000)

afterAll(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

const dryRun = async (manifest: string) => {
  writeFileSync(join(dir, "d.yaml"), manifest)
  const calls: Array<CountedCall> = []
  const config = { baseUrl: sim.url, token: simToken }
  const layer = depthCounting(
    Layer.mergeAll(herokuApiLayer(config), dataApiLayer(config)).pipe(Layer.provide(NodeHttpClient.layer)),
    calls,
  )
  sim.resetObservations()
  const { plan } = await reconcile({ plugins: herokuPlugins, dir, env: "d", layer, dryRun: true })
  return { plan, calls, sent: sim.requestLog().length }
}

const head = `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: d }\nspec:\n`

it("a dry-run with every optional read is two round trips deep", async () => {
  const { plan, calls, sent } = await dryRun(
    `${head}  app: { name: ${app}, buildpacks: [heroku/nodejs], features: { preboot: true } }
  addons:
    - { plan: "papertrail:fixa", as: PAPERTRAIL, config: { tier: gold } }
    - { attach: { app: ${owner}, addon: ${shared}, as: SHARED } }
  config: { vars: { MODE: depth } }
  formation: { web: { quantity: 1, size: standard-2x } }
`,
  )
  // every optional read was made: the test would prove nothing if one were skipped
  const paths = calls.map((c) => c.path)
  for (const path of [
    `/apps/${app}/buildpack-installations`,
    `/apps/${app}/features`,
    "/addon-services/papertrail/plans",
    `/apps/${owner}/addons`,
    "/dyno-sizes",
  ])
    expect(paths, path).toContain(path)
  expect(paths.some((p) => p.endsWith("/config") && p.startsWith("/addons/"))).toBe(true)
  expect(plan.steps.map((s) => s.address)).toContain("addons/SHARED")
  // identical reads in flight at once may share one request, never the other way round
  expect(sent).toBeLessThanOrEqual(calls.length)
  const deep = calls.filter((c) => c.depth > 2).map((c) => `${c.path} at depth ${c.depth}`)
  expect(deep).toEqual([])
  expect(depthOfCalls(calls)).toBe(2)
}, 60_000)

it("an in-sync app is one wave deep when nothing calls for a second read", async () => {
  const { calls } = await dryRun(`${head}  app: { name: ${owner} }\n  config: { vars: {} }\n`)
  expect(calls.length).toBeGreaterThan(0)
  expect(depthOfCalls(calls)).toBe(1)
}, 60_000)
