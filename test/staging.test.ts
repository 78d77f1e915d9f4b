/**
 * The shipped staging manifest against a standalone simulator (`reconcile sim`, with real builds and
 * dynos): the bundled CLI applies it from a copy of the repo, the run converges with its health wave
 * (the sample app's web dyno serving /health with its database), and the next dry-run is in sync;
 * stopped and restarted on the same state file, the simulator serves the same app, the dry-run is
 * still in sync, and /health still reaches the database.
 */
import { chmodSync, cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import { runCliAsync } from "./support/cli.ts"
import { platformGet, type StandaloneSim, startStandaloneSim } from "./support/standaloneSim.ts"

const repo = resolve(import.meta.dirname, "..")
const dir = mkdtempSync(join(tmpdir(), "reconcile-staging-"))
chmodSync(dir, 0o755) // as root, dynos run as nobody, who must reach the slugs
let sim: StandaloneSim | undefined
let url = ""

/** Starts `reconcile sim --state` on the test's state file; resolves once it listens. */
const startSim = async () => {
  sim = await startStandaloneSim({ state: join(dir, "sim", "sim.json"), token: "staging-token" })
  url = sim.url
}

beforeAll(async () => {
  for (const part of ["manifests", "prisma", "app", "package.json"])
    cpSync(join(repo, part), join(dir, part), {
      recursive: true,
      filter: (src) => !src.includes("node_modules") && !src.includes(join("web", "dist")),
    })
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"), "dir")
  await startSim()
})

afterAll(async () => {
  await sim?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test("staging applies against a standalone simulator and converges with health; a rerun is in sync", async () => {
  const env = {
    HEROKU_API_URL: url,
    HEROKU_DATA_API_URL: url,
    HEROKU_API_KEY: "staging-token",
    JWT_SECRET: "staging-test-secret",
  }
  const applied = await runCliAsync(["--env", "staging"], { cwd: dir, env })
  expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
  expect(applied.stdout).toContain("Converged.")
  const app = (await platformGet(url, "staging-token", "/apps/nails-staging")).body as { web_url: string }
  expect(app.web_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  const health = (await (await fetch(new URL("/health", app.web_url))).json()) as Record<string, unknown>
  expect(health).toMatchObject({ ok: true, database: "ok" })

  const again = await runCliAsync(["--env", "staging", "--dry-run", "--detailed-exitcode"], { cwd: dir, env })
  expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0)

  // stop the simulator and start it again on the same state file: same apps, same database URLs
  await sim?.stop()
  await startSim()
  const env2 = { ...env, HEROKU_API_URL: url, HEROKU_DATA_API_URL: url }
  const restarted = await runCliAsync(["--env", "staging", "--dry-run", "--detailed-exitcode"], {
    cwd: dir,
    env: env2,
  })
  expect(restarted.code, `${restarted.stdout}\n${restarted.stderr}`).toBe(0)
  const after = (await platformGet(url, "staging-token", "/apps/nails-staging")).body as { web_url: string }
  const healthAfter = (await (await fetch(new URL("/health", after.web_url))).json()) as Record<
    string,
    unknown
  >
  expect(healthAfter).toMatchObject({ ok: true, database: "ok" })
}, 180_000)
