/**
 * The dashboard's refresh of 20 environments spends one shared Heroku rate budget: counted through
 * the simulator's request log it never sends more requests than the budget, defers what does not
 * fit (and says so), and only reads (GET). A refresh within budget checks them all.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import type { Simulator } from "../sim/index.ts"
import { refreshAndWait, startDashboard } from "./support/dashboard.ts"
import { simToken, startSim } from "./support/heroku.ts"

const dir = mkdtempSync(join(tmpdir(), "reconcile-budget-"))
const names = Array.from({ length: 20 }, (_, i) => `env${String(i + 1).padStart(2, "0")}`)
let sim: Simulator

interface View {
  readonly env: string
  readonly status: string
  readonly requests: number
  readonly deferred: string | null
}
interface Overview {
  readonly envs: ReadonlyArray<View>
  readonly budget: { readonly remaining: number; readonly spent: number; readonly perHour: number }
}

beforeAll(async () => {
  sim = await startSim()
  for (const env of names)
    writeFileSync(
      join(dir, `${env}.yaml`),
      `apiVersion: reconcile/v1
kind: Release
metadata: { name: ${env} }
spec:
  app: { name: budget-${env}, region: us, stack: heroku-24 }
  config: { vars: { LOG_LEVEL: info } }
`,
    )
})

afterAll(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

const env = () => ({ HEROKU_API_URL: sim.url, HEROKU_DATA_API_URL: sim.url, HEROKU_API_KEY: simToken })

test("a refresh of 20 environments stays within the shared budget and defers the rest", async () => {
  const budget = 50
  const dashboard = await startDashboard(
    ["--manifests", dir, "--port", "0", "--interval", "0", "--budget", String(budget)],
    env(),
  )
  try {
    sim.resetObservations()
    const o = (await refreshAndWait(dashboard.url)) as unknown as Overview
    const log = sim.requestLog()
    expect(log.length).toBeGreaterThan(0)
    expect(log.length).toBeLessThanOrEqual(budget)
    expect(log.every((e) => e.method === "GET")).toBe(true)
    expect(o.envs.map((v) => v.env)).toEqual(names)
    expect(o.budget.spent).toBe(log.length)
    const checked = o.envs.filter((v) => v.status !== "unchecked")
    const deferred = o.envs.filter((v) => v.deferred !== null)
    expect(checked.length).toBeGreaterThan(0)
    expect(deferred.length).toBeGreaterThan(0)
    expect(deferred[0]?.deferred).toMatch(/costs about \d+ Heroku requests and the budget has \d+ left/)
    // a second refresh may not spend what is no longer there
    await refreshAndWait(dashboard.url)
    expect(sim.requestLog().length).toBeLessThanOrEqual(budget)
    const page = await (await fetch(dashboard.url)).text()
    expect(page).toMatch(/Heroku rate budget: \d+ of 50 requests an hour left/)
  } finally {
    await dashboard.stop()
  }
}, 120_000)

test("within budget, every environment is checked (drifted: none of the apps exist)", async () => {
  const dashboard = await startDashboard(["--manifests", dir, "--port", "0", "--interval", "0"], env())
  try {
    sim.resetObservations()
    const o = (await refreshAndWait(dashboard.url)) as unknown as Overview
    expect(o.envs.map((v) => v.status)).toEqual(names.map(() => "drifted"))
    const spent = o.envs.reduce((n, v) => n + v.requests, 0)
    expect(sim.requestLog().length).toBe(spent)
    expect(o.budget.remaining).toBeGreaterThanOrEqual(1000 - spent - 1)
  } finally {
    await dashboard.stop()
  }
}, 120_000)
