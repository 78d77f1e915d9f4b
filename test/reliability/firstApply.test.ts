/**
 * One writer from the first apply: two applies of a new environment started at once through the
 * bundled CLI, before its database exists: exactly one add-on and one build exist afterwards; the
 * other apply exits 3 naming the holder. A second apply after the first is an ordinary no-op.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, expect, it } from "vitest"
import { cliFixture } from "../support/cliFixture.ts"

const app = `first-apply-${process.pid}`
const fx = cliFixture({
  prefix: "first",
  sim: (root) => ({ stateFile: join(root, "sim", "state.json"), dataDir: join(root, "sim", "data") }),
})

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

const cli = (args: ReadonlyArray<string>) => fx.cli(args)

beforeAll(() => {
  mkdirSync(join(fx.root, "src"))
  writeFileSync(join(fx.root, "src", "Procfile"), "web: node -e 'setInterval(() => {}, 1000)'\n")
  fx.write("fresh", manifest)
})

it("two concurrent first applies create one add-on and one build", async () => {
  const runs = await Promise.all([cli(["--env", "fresh"]), cli(["--env", "fresh"])])
  const codes = runs.map((r) => r.code).sort()
  expect(codes, runs.map((r) => `${r.stdout}\n${r.stderr}`).join("\n----\n")).toEqual([0, 3])
  const loser = runs.find((r) => r.code === 3)!
  expect(loser.stderr).toMatch(
    /another apply holds the lock for environment "fresh" \(reconcile apply fresh pid \d+ on .+\)/,
  )
  const state = fx.sim.state()
  const appId = state.apps.find((a) => a.name === app)?.id
  expect(state.addons.filter((a) => a.appId === appId)).toHaveLength(1)
  expect(state.builds.filter((b) => b.appId === appId)).toHaveLength(1)
  // the claim is released: the next apply runs (under the database lock now) and changes nothing
  const again = await cli(["--env", "fresh"])
  expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0)
  expect(fx.sim.state().builds.filter((b) => b.appId === appId)).toHaveLength(1)
}, 240_000)
