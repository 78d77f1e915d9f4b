/**
 * One writer from the first apply: two applies of a new environment started at once through the
 * bundled CLI, before its database exists: exactly one add-on and one build exist afterwards; the
 * other apply exits 3 naming the holder. A second apply after the first is an ordinary no-op.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, it } from "vitest"
import type { Simulator } from "../../sim/index.ts"
import { runCliAsync } from "../support/cli.ts"
import { simToken, startSim } from "../support/heroku.ts"

const app = `first-apply-${process.pid}`
const root = mkdtempSync(join(tmpdir(), "reconcile-first-"))
let sim: Simulator

const manifest = `apiVersion: reconcile/v1
kind: Release
metadata: { name: fresh }
spec:
  app: { name: ${app} }
  addons:
    - { plan: "heroku-postgresql:essential-0", as: DATABASE }
  database:
    url: { fromConfigVar: DATABASE_URL }
  release:
    source: { dir: src, include: [Procfile] }
`

const cli = (args: ReadonlyArray<string>) =>
  runCliAsync([...args, "--manifests", join(root, "manifests")], {
    cwd: root,
    env: { HEROKU_API_URL: sim.url, HEROKU_DATA_API_URL: sim.url, HEROKU_API_KEY: simToken },
  })

beforeAll(async () => {
  sim = await startSim({ stateFile: join(root, "sim", "state.json"), dataDir: join(root, "sim", "data") })
  mkdirSync(join(root, "manifests"), { recursive: true })
  mkdirSync(join(root, "src"), { recursive: true })
  writeFileSync(join(root, "src", "Procfile"), "web: node -e 'setInterval(() => {}, 1000)'\n")
  writeFileSync(join(root, "manifests", "fresh.yaml"), manifest)
})

afterAll(async () => {
  await sim.close()
  rmSync(root, { recursive: true, force: true })
})

it("two concurrent first applies create one add-on and one build", async () => {
  const runs = await Promise.all([cli(["--env", "fresh"]), cli(["--env", "fresh"])])
  const codes = runs.map((r) => r.code).sort()
  expect(codes, runs.map((r) => `${r.stdout}\n${r.stderr}`).join("\n----\n")).toEqual([0, 3])
  const loser = runs.find((r) => r.code === 3)!
  expect(loser.stderr).toMatch(
    /another apply holds the lock for environment "fresh" \(reconcile apply fresh pid \d+ on .+\)/,
  )
  const state = sim.state()
  const appId = state.apps.find((a) => a.name === app)?.id
  expect(state.addons.filter((a) => a.appId === appId)).toHaveLength(1)
  expect(state.builds.filter((b) => b.appId === appId)).toHaveLength(1)
  // the claim is released: the next apply runs (under the database lock now) and changes nothing
  const again = await cli(["--env", "fresh"])
  expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0)
  expect(sim.state().builds.filter((b) => b.appId === appId)).toHaveLength(1)
}, 240_000)
