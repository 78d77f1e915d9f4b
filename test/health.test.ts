/**
 * Per-resource health end to end (issue 17): the bundled CLI against the simulator over HTTP. The
 * simulator's dyno runner is a stand-in whose dyno state the test flips (no real process needs to
 * crash), and the app's health URL is a loopback server that answers 200, so the plan is otherwise
 * in sync: a crashed web dyno alone must make `--dry-run --detailed-exitcode` exit 2, and the text
 * and JSON plans must name the process type as crashed; the static report shows it unhealthy.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import type { DynoInfo, DynoRunner } from "../sim/dyno.ts"
import type { Simulator } from "../sim/index.ts"
import { runCliAsync } from "./support/cli.ts"
import { simToken, startSim } from "./support/heroku.ts"
import { herokuClient } from "./support/simClient.ts"

const app = "health-crash-app"
const dir = mkdtempSync(join(tmpdir(), "reconcile-health-"))
let sim: Simulator
let server: Server
let webState: DynoInfo["state"] = "up"

const runner: DynoRunner = {
  apply: async () => {},
  remove: async () => {},
  close: async () => {},
  webUrl: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
  list: (name) =>
    name !== app
      ? []
      : [
          {
            name: "web.1",
            type: "web",
            command: "node server.js",
            size: "basic",
            state: webState,
            version: 1,
            startedAt: "2026-12-01T00:00:00Z",
          },
        ],
}

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"))
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
  sim = await startSim({ dataDir: join(dir, "sim"), dynoRunner: runner })
  const created = await herokuClient(sim.url, simToken).call("POST", "/apps", { body: { name: app } })
  if (created.status >= 300) throw new Error(JSON.stringify(created.body))
  mkdirSync(join(dir, "manifests"))
  writeFileSync(
    join(dir, "manifests", "prod.yaml"),
    [
      "apiVersion: reconcile/v1",
      "kind: Release",
      "metadata: { name: prod }",
      "spec:",
      `  app: { name: ${app} }`,
      "  health: { path: /health, expect: { status: 200 } }",
      "",
    ].join("\n"),
  )
}, 60_000)

afterAll(async () => {
  await sim?.close()
  await new Promise((done) => server?.close(done))
  rmSync(dir, { recursive: true, force: true })
})

const dryRun = (...extra: ReadonlyArray<string>) =>
  runCliAsync(["--env", "prod", "--manifests", "manifests", "--dry-run", "--detailed-exitcode", ...extra], {
    cwd: dir,
    env: { HEROKU_API_URL: sim.url, HEROKU_API_KEY: simToken, HEROKU_DATA_API_URL: sim.url },
  })

test("in sync with the web dyno up: exit 0, and the plan shows the dyno healthy", async () => {
  webState = "up"
  const run = await dryRun()
  expect(run.stderr).toBe("")
  expect(run.stdout).toContain("✓ dynos/web: 1 up")
  expect(run.stdout).toContain("No changes.")
  expect(run.code).toBe(0)
})

test("a crashed web dyno: exit 2, text and JSON name web as crashed, the report shows it unhealthy", async () => {
  webState = "crashed"
  const text = await dryRun()
  expect(text.code, text.stderr).toBe(2)
  expect(text.stdout).toContain("No changes.")
  expect(text.stdout).toContain("✗ dynos/web: 1 crashed [unhealthy]")
  expect(text.stdout).toContain("Unhealthy: dynos/web: 1 crashed.")

  const json = await dryRun("--output", "json")
  expect(json.code).toBe(2)
  const plan = JSON.parse(json.stdout) as { steps: unknown[]; health: Array<Record<string, unknown>> }
  expect(plan.health.find((h) => h.resource === "dynos/web")).toMatchObject({
    plugin: "health",
    state: "unhealthy",
    facts: { crashed: 1, up: 0 },
  })

  const file = join(dir, "report.html")
  const report = await runCliAsync(["report", "--all", "--html", file, "--manifests", "manifests"], {
    cwd: dir,
    env: { HEROKU_API_URL: sim.url, HEROKU_API_KEY: simToken, HEROKU_DATA_API_URL: sim.url },
  })
  expect(report.code, report.stderr).toBe(0)
  const page = readFileSync(file, "utf8")
  expect(page).toMatch(
    /<tr data-env="prod" data-status="in-sync">.*?data-health="unhealthy">unhealthy: dynos\/web/,
  )
  expect(page).toContain('<tr data-resource="dynos/web" data-state="unhealthy">')
})
