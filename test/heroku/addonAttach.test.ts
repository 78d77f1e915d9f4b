/**
 * Issue 16, item 5 (shared add-ons) against the real simulator: app B attaches app A's Postgres as
 * SHARED_DB; a re-run is a no-op; an unknown owner app or add-on is a plan problem (exit 1, no write);
 * removing the entry plans a destructive detach that is refused without allowDestroy and, with it,
 * removes only the attachment (A's add-on and its DATABASE_URL stay).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, it } from "vitest"
import { exitCodeForPlan, exitCodeForSummary } from "../../engine/cli/exitCodes.ts"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { herokuLayer, simToken, startSim } from "../support/heroku.ts"
import { herokuClient, waitFor } from "../support/simClient.ts"
import { herokuPlugins } from "./support.ts"

const owner = `attach-owner-${process.pid}`
const app = `attach-user-${process.pid}`
const dir = mkdtempSync(join(tmpdir(), "reconcile-addon-attach-"))
let sim: Simulator
let addonName = ""

const write = (addons: string) =>
  writeFileSync(
    join(dir, "b.yaml"),
    `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: b }\nspec:\n  app: { name: ${app} }\n  config: { vars: { MODE: shared }, prune: true }\n  addons:${addons}\n`,
  )
const entry = (ownerApp: string, addon: string, as: string) =>
  `\n    - { attach: { app: ${ownerApp}, addon: ${addon}, as: ${as} } }`
const run = (options: { dryRun?: boolean; allowDestroy?: boolean } = {}) =>
  reconcile({ plugins: herokuPlugins, dir, env: "b", layer: herokuLayer(sim), ...options })
const config = (name: string): Readonly<Record<string, string>> =>
  sim.state().apps.find((x) => x.name === name)?.config ?? {}
const writes = () => sim.requestLog().filter((r) => r.method !== "GET")

beforeAll(async () => {
  sim = await startSim()
  const api = herokuClient(sim.url, simToken)
  await api.call("POST", "/apps", { body: { name: owner } })
  const made = await api.call("POST", `/apps/${owner}/addons`, {
    body: { plan: "heroku-postgresql:essential-0" },
  })
  addonName = (made.body as { name: string }).name
  await waitFor(async () => (config(owner).DATABASE_URL === undefined ? undefined : true))
})
afterAll(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

it("attaches another app's add-on, plans a missing owner as a problem, and detaches destructively", async () => {
  write(entry(owner, addonName, "SHARED_DB"))
  const first = await run()
  expect(first.plan.steps.find((s) => s.address === "addons/SHARED_DB")?.action).toBe("create")
  expect(first.summary?.converged).toBe(true)
  expect(config(app).SHARED_DB_URL).toBe(config(owner).DATABASE_URL)

  const again = await run({ dryRun: true })
  expect(again.plan.isEmpty).toBe(true)
  expect(again.plan.problems).toEqual([])

  write(
    `${entry(owner, addonName, "SHARED_DB")}${entry(owner, "no-such-addon", "OTHER")}${entry(`${owner}-gone`, addonName, "GONE")}`,
  )
  sim.resetObservations()
  const unknown = await run()
  expect(unknown.plan.problems.map((p) => [p.address, p.message])).toEqual([
    [
      "addons/OTHER",
      `cannot attach OTHER: app ${owner} has no add-on no-such-addon; did you mean ${addonName}?`,
    ],
    ["addons/GONE", `cannot attach GONE: the owner app ${owner}-gone does not exist`],
  ])
  expect(exitCodeForPlan(unknown.plan, false)).toBe(1)
  expect(unknown.summary === undefined ? 1 : exitCodeForSummary(unknown.summary)).toBe(1)
  expect(writes()).toEqual([])

  write(" []")
  const refused = await run()
  const detach = refused.plan.steps.find((s) => s.address === "addons/SHARED_DB")
  expect([detach?.action, detach?.destructive]).toEqual(["delete", true])
  expect(refused.summary?.ok).toBe(false)
  expect(config(app).SHARED_DB_URL).toBe(config(owner).DATABASE_URL)

  const detached = await run({ allowDestroy: true })
  expect(detached.summary?.converged).toBe(true)
  expect(config(app).SHARED_DB_URL).toBeUndefined()
  expect(sim.state().addons.map((a) => a.name)).toContain(addonName)
  expect(config(owner).DATABASE_URL).toMatch(/^postgres/)
  expect((await run({ dryRun: true })).plan.isEmpty).toBe(true)
})

it("a lost attach or detach answer is read, not resent: one attachment made, one deleted", async () => {
  const lostApp = `attach-lost-${process.pid}`
  const lostDir = mkdtempSync(join(tmpdir(), "reconcile-addon-attach-lost-"))
  const manifest = (addons: string) =>
    writeFileSync(
      join(lostDir, "l.yaml"),
      `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: l }\nspec:\n  app: { name: ${lostApp} }\n  addons:${addons}\n`,
    )
  const apply = () =>
    reconcile({ plugins: herokuPlugins, dir: lostDir, env: "l", layer: herokuLayer(sim), allowDestroy: true })
  const sent = (method: string) =>
    sim.requestLog().filter((r) => r.method === method && r.path.startsWith("/addon-attachments"))
  try {
    // every attach and detach is carried out, and its answer lost
    sim.setFaults({
      commitThenDrop: [
        { route: "POST /addon-attachments", rate: 1 },
        { route: "DELETE /addon-attachments/*", rate: 1 },
      ],
    })
    manifest(entry(owner, addonName, "LOST_DB"))
    sim.resetObservations()
    const attached = await apply()
    expect(attached.summary?.converged, JSON.stringify(attached.summary?.results)).toBe(true)
    expect(attached.summary?.results.find((r) => r.address === "addons/LOST_DB")).toMatchObject({
      status: "succeeded",
      attempts: 1,
      message: `found applied after a lost answer, not sent again: LOST_DB is attached to ${addonName} of app ${owner}`,
    })
    expect(sent("POST")).toHaveLength(1)
    expect(config(lostApp).LOST_DB_URL).toBe(config(owner).DATABASE_URL)

    manifest(" []")
    sim.resetObservations()
    const detached = await apply()
    expect(detached.summary?.converged, JSON.stringify(detached.summary?.results)).toBe(true)
    expect(detached.summary?.results.find((r) => r.address === "addons/LOST_DB")).toMatchObject({
      status: "succeeded",
      attempts: 1,
      message: "found applied after a lost answer, not sent again: LOST_DB is detached",
    })
    expect(sent("DELETE")).toHaveLength(1)
    expect(config(lostApp).LOST_DB_URL).toBeUndefined()
    expect(config(owner).DATABASE_URL).toMatch(/^postgres/)
  } finally {
    sim.setFaults({})
    rmSync(lostDir, { recursive: true, force: true })
  }
})
