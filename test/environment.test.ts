/**
 * The rest of an environment (issue 16), end to end: a standalone simulator (`reconcile sim`) and
 * the bundled CLI. From nothing, staging builds; production joins the same pipeline, promotes the
 * exact slug staging runs (no build of its own), gets a custom domain with ACM (its certificate
 * issued), a log drain whose URL comes from the runner's environment, and preboot on. A second
 * dry-run of each is in sync, and the drain's URL is never printed.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import { runCliAsync } from "./support/cli.ts"
import { waitFor } from "./support/simClient.ts"
import { platformGet, type StandaloneSim, startStandaloneSim } from "./support/standaloneSim.ts"

const TOKEN = "envplug-token"
const DRAIN = "https://user:drain-s3cret-9f2a@logs.example.com/envp"
const dir = mkdtempSync(join(tmpdir(), "reconcile-envplug-"))
chmodSync(dir, 0o755) // as root, dynos run as nobody, who must reach the slugs
let sim: StandaloneSim | undefined
let url = ""

const staging = `apiVersion: reconcile/v1
kind: Release
metadata: { name: staging }
spec:
  app: { name: envp-staging }
  pipeline: { name: envp, stage: staging }
  release:
    source: { dir: app, include: [package.json, server.js] }
`
const production = `apiVersion: reconcile/v1
kind: Release
metadata: { name: production }
spec:
  app: { name: envp-prod, acm: true, features: { preboot: true } }
  pipeline: { name: envp, stage: production }
  domains: [api.envp.example.com]
  drains: [{ fromEnv: LOG_DRAIN_URL }]
  release:
    source: { dir: app, include: [package.json, server.js] }
    promoteFrom: staging
`

const api = async (path: string): Promise<unknown> => {
  const res = await platformGet(url, TOKEN, path)
  expect(res.status, path).toBeLessThan(300)
  return res.body
}
type Obj = Record<string, unknown>

beforeAll(async () => {
  mkdirSync(join(dir, "manifests"))
  writeFileSync(join(dir, "manifests", "staging.yaml"), staging)
  writeFileSync(join(dir, "manifests", "production.yaml"), production)
  // the same production, promoting from the staging app by its name instead of the environment's
  writeFileSync(
    join(dir, "manifests", "byapp.yaml"),
    production.replace("promoteFrom: staging", "promoteFrom: envp-staging"),
  )
  cpSync(resolve(import.meta.dirname, "fixtures/apps/no-procfile"), join(dir, "app"), { recursive: true })
  sim = await startStandaloneSim({ token: TOKEN, dataDir: join(dir, "sim") })
  url = sim.url
})

afterAll(async () => {
  await sim?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test("staging builds; production joins its pipeline, promotes its slug, with a domain, a drain and preboot; reruns are no-ops", async () => {
  const env = { HEROKU_API_URL: url, HEROKU_DATA_API_URL: url, HEROKU_API_KEY: TOKEN, LOG_DRAIN_URL: DRAIN }
  const run = async (...args: string[]) => {
    const r = await runCliAsync(args, { cwd: dir, env })
    expect(`${r.stdout}${r.stderr}`).not.toContain("drain-s3cret")
    return r
  }
  const first = await run("--env", "staging")
  expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0)

  const preview = await run("--env", "production", "--dry-run")
  expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0)
  for (const address of [
    "app/envp-prod",
    "pipeline/envp",
    "domains/api.envp.example.com",
    "drains/drain-1",
    "release/promote",
  ])
    expect(preview.stdout).toContain(address)

  const applied = await run("--env", "production", "--output", "json")
  expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
  const summary = JSON.parse(applied.stdout) as { converged: boolean; outputs: Record<string, string> }
  expect(summary.converged).toBe(true)
  expect(summary.outputs["domain api.envp.example.com"]).toMatch(
    /^DNS target \S+\.herokudns\.com, certificate/,
  )
  // the app's URL once (the app's creation and the release both give it, under one name)
  const values = Object.values(summary.outputs)
  expect(values.length, JSON.stringify(summary.outputs)).toBe(new Set(values).size)
  expect(summary.outputs.appUrl).toMatch(/^https?:\/\//)

  // the same pipeline; production runs staging's exact slug and never built
  const couplings = (await api("/pipelines/envp/pipeline-couplings")) as Obj[]
  expect(couplings.map((c) => c.stage).sort()).toEqual(["production", "staging"])
  const slugOf = async (app: string) => {
    const releases = (await api(`/apps/${app}/releases`)) as Obj[]
    return (releases.at(-1)?.slug as Obj | null)?.id
  }
  expect(await slugOf("envp-prod")).toBe(await slugOf("envp-staging"))
  expect(await slugOf("envp-prod")).toBeTruthy()
  expect(await api("/apps/envp-prod/builds")).toEqual([])
  expect((await api("/apps/envp-staging/builds")) as Obj[]).toHaveLength(1)
  expect(((await api("/apps/envp-prod/domains")) as Obj[]).map((d) => d.hostname)).toContain(
    "api.envp.example.com",
  )
  // ACM is on for the app and the domain's certificate gets issued (the simulator issues it late)
  expect(((await api("/apps/envp-prod")) as Obj).acm).toBe(true)
  await waitFor(async () => {
    const d = (await api("/apps/envp-prod/domains/api.envp.example.com")) as Obj
    return d.acm_status === "cert issued" ? d : undefined
  }, 60_000)
  expect(((await api("/apps/envp-prod/log-drains")) as Obj[]).map((d) => d.url)).toEqual([DRAIN])
  expect(((await api("/apps/envp-prod/features/preboot")) as Obj).enabled).toBe(true)

  for (const envName of ["staging", "production", "byapp"]) {
    const again = await run("--env", envName, "--dry-run", "--detailed-exitcode")
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0)
  }
}, 240_000)
