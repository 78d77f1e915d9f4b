/**
 * The secrets suite: canary values in a `fromEnv` var, in live-only vars (one the manifest now gives
 * a plain value), in an add-on var (the Postgres add-on's DATABASE_URL) and in the runner's
 * environment. Every output form of the bundled CLI (text, JSON, markdown, the `--out` file), GitHub
 * request bodies, pg_dump backups and the frontend build's output (failing and succeeding) must hold
 * none of them, and every file written that holds secrets or data must be 0600. A dry-run must not
 * write into the tree.
 */
import { execFileSync } from "node:child_process"
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Simulator } from "../../sim/index.ts"
import { runCliAsync } from "../support/cli.ts"
import { type FakeGitHub, startFakeGitHub } from "../support/fakeGitHub.ts"
import { simToken, startSim } from "../support/heroku.ts"
import { herokuClient, waitFor } from "../support/simClient.ts"

const app = "secrets-suite"
const canary = {
  fromEnv: "canary-fromenv-4be17d02",
  liveJwt: "canary-livejwt-9a0c33e1",
  liveOnly: "canary-liveonly-5f12e8b7",
  liveUrl: "canary-liveurl-0d7e61aa",
  runner: "canary-runner-c3b9f045",
}
let addonPassword = ""
let addonId = ""
const secrets = () => [...Object.values(canary), addonPassword]

let sim: Simulator
let gh: FakeGitHub
let root = ""
const printed: Array<string> = []

const runPs = () => execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n")

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8)

/** Every canary (and the add-on's password) found in `text`, with where. */
const leaks = (label: string, text: string) =>
  secrets()
    .filter((s) => s !== "" && text.includes(s))
    .map((s) => `${label}: ${text.slice(Math.max(0, text.indexOf(s) - 100), text.indexOf(s) + 30)}`)

const manifest = (env: string, build: string, stepTimeout = "30s") =>
  `apiVersion: reconcile/v1
kind: Release
metadata: { name: ${env} }
spec:
  policy: { retries: 0, stepTimeout: ${stepTimeout} }
  app: { name: ${app} }
  addons:
    - { plan: "heroku-postgresql:essential-0", as: DATABASE }
  config:
    vars:
      NODE_ENV: production
      API_TOKEN: { fromEnv: API_TOKEN }
      JWT_SECRET: not-a-secret-anymore
      PAYMENT_HOOK: disabled
  database:
    url: { fromConfigVar: DATABASE_URL }
    backup: { provider: pg_dump, always: true }
  release:
    source: { dir: ${join(root, "src")}, include: [web, Procfile] }
    frontend: { dir: web/dist, build: "${build}", digest: auto }
`

const cli = async (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => {
  const r = await runCliAsync(args, {
    cwd: root,
    env: {
      HEROKU_API_URL: sim.url,
      HEROKU_DATA_API_URL: sim.url,
      HEROKU_API_KEY: simToken,
      API_TOKEN: canary.fromEnv,
      RUNNER_DEPLOY_TOKEN: canary.runner,
      GITHUB_API_URL: gh.url,
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      ...extra,
    },
  })
  printed.push(r.stdout, r.stderr)
  return r
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "reliability-secrets-"))
  sim = await startSim({ stateFile: join(root, "sim", "state.json"), dataDir: join(root, "sim", "data") })
  gh = await startFakeGitHub()
  // the source: a build that prints the runner's token, a file holding the fromEnv secret, and env
  const src = join(root, "src")
  mkdirSync(join(src, "web"), { recursive: true })
  writeFileSync(join(src, "Procfile"), "web: node -e 'setInterval(() => {}, 1000)'\n")
  writeFileSync(join(src, "leak.txt"), `${canary.fromEnv}\n`)
  const printAll = 'env; echo "runner=$RUNNER_DEPLOY_TOKEN api=$API_TOKEN"; cat leak.txt'
  writeFileSync(join(src, "build.sh"), `${printAll}\nmkdir -p web/dist && echo hi > web/dist/index.html\n`)
  writeFileSync(join(src, "fail.sh"), `${printAll}\nexit 3\n`)
  mkdirSync(join(root, "manifests"))
  writeFileSync(join(root, "manifests", "staging.yaml"), manifest("staging", "sh build.sh"))
  writeFileSync(join(root, "manifests", "broken.yaml"), manifest("broken", "sh fail.sh"))
  writeFileSync(join(root, "manifests", "hang.yaml"), manifest("hang", "echo start; sleep 28.61", "1s"))
  // live: the app, its Postgres add-on, and secrets only the app has
  const api = herokuClient(sim.url, simToken)
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await api.call(method, path, body === undefined ? {} : { body })
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body as Record<string, unknown>
  }
  await ok("POST", "/apps", { name: app })
  const addon = await ok("POST", `/apps/${app}/addons`, { plan: "heroku-postgresql:essential-0" })
  await waitFor(async () =>
    (await ok("GET", `/apps/${app}/addons/${addon.id}`)).state === "provisioned" ? true : undefined,
  )
  await ok("PATCH", `/apps/${app}/config-vars`, {
    JWT_SECRET: canary.liveJwt,
    LIVE_ONLY_SECRET: canary.liveOnly,
    PAYMENT_HOOK: `https://hook:${canary.liveUrl}@pay.example.com/in`,
  })
  addonId = String(addon.id)
  const config = await ok("GET", `/apps/${app}/config-vars`)
  addonPassword = decodeURIComponent(new URL(String(config.DATABASE_URL)).password)
  expect(addonPassword.length).toBeGreaterThan(8)
}, 60_000)

afterAll(async () => {
  await sim?.close()
  await gh?.close()
  if (root !== "") rmSync(root, { recursive: true, force: true })
})

describe("secrets suite", () => {
  it("a dry-run in every output form, --out and the PR comment: no canary, nothing written to the tree", async () => {
    const pr = gh.addPullRequest()
    const forms = [
      await cli(["--env", "staging", "--dry-run", "--report", "github-pr-comment"], {
        RECONCILE_PR_NUMBER: String(pr),
      }),
      await cli(["--env", "staging", "--dry-run", "-o", "json"]),
      await cli(["--env", "staging", "--dry-run", "-o", "markdown"]),
    ]
    for (const r of forms) expect(r.code, r.stderr).toBe(0)
    // the live secret the manifest now gives a plain value changes, shown only by fingerprint
    expect(forms[0]?.stdout).toMatch(/config\/JWT_SECRET[^\n]*\(sensitive\) #[0-9a-f]+ → \(sensitive\) #/)
    expect(forms[0]?.stdout).toContain("ran in a temporary copy of the source")
    // a dry-run writes nothing into the tree
    expect(existsSync(join(root, "src", "web", "dist"))).toBe(false)
    expect(gh.comments.filter((c) => c.issue === pr)).toHaveLength(1)

    // --out onto an existing world-readable file: rewritten owner-only
    const planFile = join(root, "plan.json")
    writeFileSync(planFile, "{}\n", { mode: 0o644 })
    const saved = await cli(["--env", "staging", "--out", planFile])
    expect(saved.code, saved.stderr).toBe(0)
    expect(mode(planFile)).toBe("600")
    const found = [
      ...printed.flatMap((t, i) => leaks(`output[${i}]`, t)),
      ...leaks("plan.json", readFileSync(planFile, "utf8")),
      ...gh.requests.flatMap((r, i) => leaks(`github[${i}] ${r.method} ${r.path}`, r.body)),
    ]
    expect(found, found.join("\n")).toEqual([])
  }, 60_000)

  it("a failing build: its output is shown without any secret, and it never saw the runner's", async () => {
    const r = await cli(["--env", "broken", "--dry-run"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("frontend build failed: sh fail.sh")
    // the build ran and printed (scrubbed) what it could see
    expect(r.stderr).toContain("runner= api=")
    expect(r.stderr).toContain("***")
    const found = leaks("failing build", `${r.stdout}${r.stderr}`)
    expect(found, found.join("\n")).toEqual([])
  }, 60_000)

  it("a hanging build is stopped at policy.stepTimeout, with its process group, and said so", async () => {
    const r = await cli(["--env", "hang", "--dry-run"])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("frontend build timed out after 1s and was stopped (policy.stepTimeout)")
    const ps = runPs()
    expect(ps.filter((l) => l.trim() === "sleep 28.61")).toEqual([])
  }, 60_000)

  it("an apply: summary, GitHub deployment, backup and simulator state hold no canary and are 0600", async () => {
    const r = await cli(["--env", "staging", "--report", "github-deployment"])
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
    const backups = join(root, ".reconcile", "backups", "staging")
    const dumps = readdirSync(backups)
    expect(dumps.length).toBeGreaterThan(0)
    const files = [...dumps.map((f) => join(backups, f)), join(root, "sim", "state.json")]
    for (const f of files) expect(mode(f), f).toBe("600")
    // the apply built into the tree (only a dry-run must not)
    expect(existsSync(join(root, "src", "web", "dist", "index.html"))).toBe(true)
    const found = [
      ...printed.flatMap((t, i) => leaks(`output[${i}]`, t)),
      ...gh.requests.flatMap((req, i) => leaks(`github[${i}] ${req.method} ${req.path}`, req.body)),
      ...dumps.flatMap((f) => leaks(f, readFileSync(join(backups, f)).toString("latin1"))),
    ]
    expect(found, found.join("\n")).toEqual([])
    // the simulator's own backups (Data API captures) and their records are owner-only too
    const api = herokuClient(sim.url, simToken)
    const capture = await api.call("POST", `/client/v11/databases/${addonId}/backups`, {})
    expect(capture.status).toBe(201)
    const num = (capture.body as { num: number }).num
    await waitFor(async () => {
      const t = (await api.call("GET", `/client/v11/apps/${app}/transfers/${num}`)).body as {
        finished_at: string | null
        succeeded: boolean
      }
      return t.finished_at === null ? undefined : t.succeeded || undefined
    })
    const dataapi = join(root, "sim", "data", "dataapi")
    const simFiles = [
      join(dataapi, "transfers.json"),
      ...readdirSync(join(dataapi, "backups")).map((f) => join(dataapi, "backups", f)),
    ]
    expect(simFiles.length).toBeGreaterThan(1)
    for (const f of simFiles) expect(mode(f), f).toBe("600")
    // the simulator's state is the simulated Heroku: it must hold the vars, and only for its owner
    expect(readFileSync(join(root, "sim", "state.json"), "utf8")).toContain(canary.fromEnv)
  }, 90_000)
})
