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
import { runSimulatorCli } from "../sim/cli.ts"
import { runCliAsync } from "./support/cli.ts"
import { postgresAdminUrl } from "./support/postgres.ts"

const repo = resolve(import.meta.dirname, "..")
const dir = mkdtempSync(join(tmpdir(), "reconcile-staging-"))
chmodSync(dir, 0o755) // as root, dynos run as nobody, who must reach the slugs
let stop = new AbortController()
let running: Promise<void> | undefined
let url = ""

/** Starts `reconcile sim --state` on the test's state file; resolves once it listens. */
const startSim = () => {
  stop = new AbortController()
  return new Promise<void>((ok) => {
    running = runSimulatorCli({
      state: join(dir, "sim", "sim.json"),
      token: "staging-token",
      postgresAdminUrl: postgresAdminUrl(),
      signal: stop.signal,
      log: (line) => {
        const m = /listening on (\S+)/.exec(line)
        if (m !== null) {
          url = m[1]!
          ok()
        }
      },
    })
  })
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
  stop.abort()
  await running
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
  const app = (await (
    await fetch(`${url}/apps/nails-staging`, {
      headers: { Accept: "application/vnd.heroku+json; version=3", Authorization: "Bearer staging-token" },
    })
  ).json()) as { web_url: string }
  expect(app.web_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  const health = (await (await fetch(new URL("/health", app.web_url))).json()) as Record<string, unknown>
  expect(health).toMatchObject({ ok: true, database: "ok" })

  const again = await runCliAsync(["--env", "staging", "--dry-run", "--detailed-exitcode"], { cwd: dir, env })
  expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0)

  // stop the simulator and start it again on the same state file: same apps, same database URLs
  stop.abort()
  await running
  await startSim()
  const env2 = { ...env, HEROKU_API_URL: url, HEROKU_DATA_API_URL: url }
  const restarted = await runCliAsync(["--env", "staging", "--dry-run", "--detailed-exitcode"], {
    cwd: dir,
    env: env2,
  })
  expect(restarted.code, `${restarted.stdout}\n${restarted.stderr}`).toBe(0)
  const after = (await (
    await fetch(`${url}/apps/nails-staging`, {
      headers: { Accept: "application/vnd.heroku+json; version=3", Authorization: "Bearer staging-token" },
    })
  ).json()) as { web_url: string }
  const healthAfter = (await (await fetch(new URL("/health", after.web_url))).json()) as Record<
    string,
    unknown
  >
  expect(healthAfter).toMatchObject({ ok: true, database: "ok" })
}, 180_000)
