/**
 * End to end against the real simulator with real dynos and a real Postgres: build the frontend,
 * deploy, health with the matching digest, a one-file change, a failing release phase, a rollback.
 * The tests share one app and run in order (each starts from the state the previous one left).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Layer from "effect/Layer"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { digestDir } from "../../app/digest.mjs"
import { RunState } from "../../engine/plugin/RunState.ts"
import { healthPlugin } from "../../plugins/health/plugin.ts"
import { releasePlugin } from "../../plugins/release/plugin.ts"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { herokuLayer, simToken, startSim } from "../support/heroku.ts"
import { herokuClient } from "../support/simClient.ts"
import { appStub, createApp, health, prepareWorkspace } from "./support.ts"

const app = "salon-release"
let sim: Simulator
let root: string
let manifests: string

const run = (dryRun = false, rollback?: { readonly to?: number }) =>
  reconcile({
    plugins: [appStub, releasePlugin, healthPlugin],
    dir: manifests,
    env: "test",
    layer: Layer.merge(herokuLayer(sim), RunState.layer),
    dryRun,
    ...(rollback === undefined ? {} : { rollback }),
  })

const currentWebUrl = (): string => {
  const url = lastUrl
  if (url === undefined) throw new Error("no app URL yet")
  return url
}
let lastUrl: string | undefined

const distDigest = () => digestDir(join(root, "app/web/dist"))

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "release-test-"))
  ;({ manifests } = prepareWorkspace(root, app))
  sim = await startSim({ dynos: { graceMs: 2000 } })
  await createApp(sim, app)
})

afterAll(async () => {
  await sim?.close()
  if (root !== undefined) rmSync(root, { recursive: true, force: true })
})

describe.sequential("release + health", () => {
  let firstDigest: string | null = null

  test("deploys the built app; health passes with the matching digest; the URL serves the page", async () => {
    const { plan, summary } = await run()
    expect(plan.steps.map((s) => s.address)).toEqual(["release/deploy", "health/check"])
    expect(summary?.converged, JSON.stringify(summary?.results)).toBe(true)
    lastUrl = summary?.outputs.appUrl
    expect(lastUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(summary?.outputs.release).toMatch(/^v\d+$/)
    firstDigest = distDigest()
    const h = await health(currentWebUrl())
    expect(h).toEqual({
      status: 200,
      body: expect.objectContaining({
        ok: true,
        frontendDigest: firstDigest,
        release: summary?.outputs.release,
      }),
    })
    const page = await fetch(currentWebUrl())
    expect(await page.text()).toContain("Polished")
    const services = (await (await fetch(new URL("/api/services", currentWebUrl()))).json()) as unknown[]
    expect(services).toHaveLength(8)
    expect(services[0]).toMatchObject({ id: "classic-manicure", category: "Manicures", price_cents: 2500 })
  })

  test("one frontend file changes: dry-run shows the digest change, apply serves it, a rerun is a no-op", async () => {
    const file = join(root, "app/web/src/services.ts")
    writeFileSync(file, readFileSync(file, "utf8").replace("toFixed(2)}`", "toFixed(2)} USD`"))
    const { plan } = await run(true)
    const deploy = plan.steps.find((s) => s.address === "release/deploy")
    expect(JSON.stringify(deploy?.before)).toContain(firstDigest?.slice(0, 19))
    // the dry-run built in a temporary copy: the tree's build output is untouched, and the plan says so
    expect(distDigest()).toBe(firstDigest)
    expect(plan.warnings.join("\n")).toContain("ran in a temporary copy of the source")
    expect(plan.steps.map((s) => s.address)).toContain("health/check")

    const { summary } = await run()
    expect(summary?.converged, JSON.stringify(summary?.results)).toBe(true)
    // the apply built into the tree; the dry-run had computed the same digest
    const newDigest = distDigest()
    expect(newDigest).not.toBe(firstDigest)
    expect(JSON.stringify(deploy?.after)).toContain(newDigest?.slice(0, 19))
    expect((await health(currentWebUrl())).body.frontendDigest).toBe(newDigest)

    sim.resetObservations()
    const again = await run(true)
    expect(again.plan.steps).toEqual([])
    // this machine saw the slug built: the no-op knows its source without listing the builds
    expect(sim.requestLog().filter((e) => e.method === "GET" && e.path.endsWith("/builds"))).toEqual([])
  })

  test("a failing release phase fails the step; the previous release stays current and keeps serving", async () => {
    const served = (await health(currentWebUrl())).body
    writeFileSync(
      join(root, "app/Procfile"),
      "web: node server/server.mjs\nrelease: node -e \"console.log('migrating', process.env.DATABASE_URL); process.exit(3)\"\n",
    )
    const { summary } = await run()
    const step = summary?.results.find((r) => r.address === "release/deploy")
    expect(step?.status).toBe("failed")
    expect(step?.reason).toBe("Invalid")
    expect(step?.message).toContain("release phase failed")
    // the tail of its output is shown, without the add-on URL's password it printed
    expect(step?.message).toMatch(/migrating postgres:\/\/[^:\s]+:\*\*\*@/)
    expect(summary?.results.find((r) => r.address === "health/check")?.status ?? "skipped").toBe("skipped")
    const releases = sim
      .state()
      .releases.filter((r) => r.appId === sim.state().apps.find((a) => a.name === app)?.id)
    expect(releases.at(-1)?.status).toBe("failed")
    expect(await health(currentWebUrl())).toEqual({ status: 200, body: served })
    writeFileSync(join(root, "app/Procfile"), "web: node server/server.mjs\n")
  })

  test("rollback is a plan: previewed, then applied and verified; the re-plan is empty", async () => {
    const appId = () => sim.state().apps.find((a) => a.name === app)?.id
    const ofApp = () => sim.state().releases.filter((r) => r.appId === appId())
    const count = ofApp().length
    const preview = await run(true, {})
    expect(preview.plan.steps.map((s) => s.address)).toEqual(["release/rollback"])
    expect(preview.plan.rollback).toEqual({})
    expect(ofApp()).toHaveLength(count)
    const to = Number(
      String(
        preview.plan.steps[0]?.after && (preview.plan.steps[0].after as Record<string, unknown>).release,
      ).match(/^v(\d+)/)?.[1],
    )
    const { summary } = await run(false, {})
    expect(summary?.converged, JSON.stringify(summary?.results)).toBe(true)
    const byVersion = (v: number) => ofApp().find((r) => r.version === v)
    const made = ofApp().at(-1)
    expect(made?.slugId).toBe(byVersion(to)?.slugId)
    expect(made?.config).toEqual(byVersion(to)?.config)
    expect(summary?.outputs.rolledBackTo).toBe(`v${to}`)
    const h = await health(currentWebUrl())
    expect(h.body.frontendDigest).toBe(firstDigest)
    expect(h.body.release).toBe(`v${made?.version}`)
    // slugless v1 (the app's initial release) is refused with the reason, before anything is written
    const refused = await run(true, { to: 1 })
    expect(refused.plan.errors.map((p) => p.message).join()).toMatch(/v1 has no slug/)
  })
})

describe.sequential("promotion", () => {
  test("promoteFrom: staging promotes the exact slug staging runs; the plan shows the source release", async () => {
    const api = herokuClient(sim.url, simToken)
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await api.call(method, path, body === undefined ? {} : { body })
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
      return res.body as Record<string, unknown>
    }
    const prod = await ok("POST", "/apps", { name: "salon-prod" })
    const pipeline = await ok("POST", "/pipelines", { name: "salon" })
    await ok("POST", "/pipeline-couplings", { app: app, pipeline: pipeline.id, stage: "staging" })
    await ok("POST", "/pipeline-couplings", { app: prod.id, pipeline: pipeline.id, stage: "production" })
    const manifest = readFileSync(join(manifests, "test.yaml"), "utf8")
      .replace(`name: ${app}`, "name: salon-prod")
      .replace(/\n {2}health:.*\n/, "\n")
      .replace("  policy:", "    promoteFrom: staging\n  policy:")
    writeFileSync(join(manifests, "prod.yaml"), manifest)
    const runProd = (dryRun: boolean) =>
      reconcile({
        plugins: [appStub, releasePlugin],
        dir: manifests,
        env: "prod",
        layer: Layer.merge(herokuLayer(sim), RunState.layer),
        dryRun,
      })

    const staging = sim
      .state()
      .releases.filter(
        (r) => r.appId === sim.state().apps.find((a) => a.name === app)?.id && r.status === "succeeded",
      )
      .at(-1)
    const { plan } = await runProd(true)
    expect(plan.steps.map((s) => s.address)).toEqual(["release/promote"])
    expect(JSON.stringify(plan.steps[0]?.after)).toContain(`${app} v${staging?.version}`)

    const { summary } = await runProd(false)
    expect(summary?.converged, JSON.stringify(summary?.results)).toBe(true)
    const prodRelease = sim
      .state()
      .releases.filter((r) => r.appId === prod.id)
      .at(-1)
    expect(prodRelease?.slugId).toBe(staging?.slugId)
    expect(sim.state().builds.filter((b) => b.appId === prod.id)).toEqual([])
    expect((await runProd(true)).plan.steps).toEqual([])
  })
})
