/**
 * Issue 16, item 6, through the bundled CLI against the real simulator: `size: hobby` and
 * `plan: heroku-postgresql:nonexistent` are plan problems with suggestions (read from the platform's
 * dyno-size and add-on plan catalogs), the dry-run exits 1, and an apply refuses before sending a
 * single request that writes (counted in the simulator's request log).
 */
import { expect, test } from "vitest"
import { cliFixture } from "../support/cliFixture.ts"

const app = `catalog-${process.pid}-${Date.now().toString(36)}`
const fx = cliFixture({ prefix: "catalog" })
const cli = (args: ReadonlyArray<string>) => fx.cli([...args, "--env", "cat"])

test("an unknown dyno size and add-on plan are dry-run problems with suggestions, and an apply writes nothing", async () => {
  fx.write(
    "cat",
    `apiVersion: reconcile/v1
kind: Release
metadata: { name: cat }
spec:
  app: { name: ${app} }
  addons:
    - { plan: "heroku-postgresql:nonexistent", as: DATABASE }
  formation:
    web: { quantity: 1, size: hobby }
`,
  )
  const dry = await cli(["--dry-run"])
  expect(dry.code, `${dry.stdout}\n${dry.stderr}`).toBe(1)
  expect(dry.stdout).toMatch(
    /Error: addons\/DATABASE: unknown add-on plan "heroku-postgresql:nonexistent"; did you mean heroku-postgresql:[a-z0-9-]+/,
  )
  expect(dry.stdout).toContain(
    'Error: formation/web: unknown dyno size "hobby" (hobby dynos were retired; Basic replaced them); did you mean Basic',
  )

  fx.sim.resetObservations()
  const applied = await cli([])
  expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(1)
  expect(applied.stdout).toContain('unknown dyno size "hobby"')
  const log = fx.sim.requestLog()
  expect(log.some((r) => r.path === "/dyno-sizes")).toBe(true)
  expect(log.filter((r) => r.method !== "GET")).toEqual([])
  expect(fx.sim.state().apps.some((a) => a.name === app)).toBe(false)
}, 120_000)

test("a catalog is read once per run, even when the executor observes the add-ons again", async () => {
  fx.write(
    "cat",
    `apiVersion: reconcile/v1
kind: Release
metadata: { name: cat }
spec:
  app: { name: ${app}-ok }
  addons:
    - { plan: "papertrail:choklad", as: PAPERTRAIL }
`,
  )
  fx.sim.resetObservations()
  const applied = await cli([])
  expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
  const log = fx.sim.requestLog()
  // the app wave created the app, so the add-ons wave was observed afresh before it ran
  expect(
    log.filter((r) => r.method === "GET" && r.path.startsWith(`/apps/${app}-ok/addons`)).length,
  ).toBeGreaterThan(1)
  expect(log.filter((r) => r.path === "/addon-services/papertrail/plans")).toHaveLength(1)
  fx.sim.resetObservations()
  const noop = await cli(["--dry-run", "--detailed-exitcode"])
  expect(noop.code, noop.stdout).toBe(0)
  expect(fx.sim.requestLog().filter((r) => r.path.startsWith("/addon-services"))).toEqual([])
}, 120_000)
