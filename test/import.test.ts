/**
 * `reconcile import` round trip against the simulator over HTTP: an app made by raw API calls (two
 * add-ons, six config vars, two process types with sizes, maintenance on) is imported; the file
 * holds no config value; a dry-run with the printed variables set is in sync (exit 0 with
 * --detailed-exitcode). An app that has another app's add-on attached imports it as an `attach:`
 * entry, so its first dry-run plans no (refused) detach.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import type { Simulator } from "../sim/index.ts"
import { buildDir, fixtureApp } from "./support/build.ts"
import { runCliAsync } from "./support/cli.ts"
import { simToken, startSim } from "./support/heroku.ts"
import { type HerokuClient, herokuClient, waitFor } from "./support/simClient.ts"

const dir = mkdtempSync(join(tmpdir(), "reconcile-import-"))
let sim: Simulator
let api: HerokuClient
const sharer = `adopt-sharer-${process.pid}`

const secrets = {
  SESSION_SECRET: "canary-session-5f2a9c",
  STRIPE_KEY: "sk_live_canary_81b7",
  API_TOKEN: "canary-token-77d1e0",
  FEATURE_FLAGS: "canary-flags-a,b,c",
}
const vars = { NODE_ENV: "production", LOG_LEVEL: "info", ...secrets }

beforeAll(async () => {
  sim = await startSim({ dataDir: join(dir, "sim") })
  api = herokuClient(sim.url, simToken)
  const ok = async (p: Promise<{ status: number; body: unknown }>) => {
    const r = await p
    if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  await ok(api.call("POST", "/apps", { body: { name: "adopt-me", region: "eu", stack: "heroku-24" } }))
  await ok(
    api.call("PUT", "/apps/adopt-me/buildpack-installations", {
      body: { updates: [{ buildpack: "heroku/nodejs" }] },
    }),
  )
  await ok(api.call("POST", "/apps/adopt-me/addons", { body: { plan: "heroku-postgresql:essential-0" } }))
  await ok(
    api.call("POST", "/apps/adopt-me/addons", {
      body: { plan: "heroku-redis:mini", attachment: { name: "CACHE" } },
    }),
  )
  await ok(api.call("PATCH", "/apps/adopt-me/config-vars", { body: vars }))
  const build = await buildDir(api, "adopt-me", fixtureApp("notes"))
  if (build.status !== "succeeded") throw new Error(build.output)
  await ok(
    api.call("PATCH", "/apps/adopt-me/formation", {
      body: {
        updates: [
          { type: "web", quantity: 2, size: "standard-1X" },
          { type: "worker", quantity: 1, size: "basic" },
        ],
      },
    }),
  )
  await ok(api.call("PATCH", "/apps/adopt-me", { body: { maintenance: true } }))
  await waitFor(async () => {
    const addons = (await api.call("GET", "/apps/adopt-me/addons")).body as Array<{ state: string }>
    return addons.every((a) => a.state === "provisioned") ? true : undefined
  })
  // a second app with adopt-me's Postgres attached as SHARED_DB, and one var of its own
  await ok(api.call("POST", "/apps", { body: { name: sharer } }))
  await ok(api.call("PATCH", `/apps/${sharer}/config-vars`, { body: { MODE: "shared" } }))
  const owned = (await ok(api.call("GET", "/apps/adopt-me/addons"))) as Array<{ name: string }>
  const pg = owned.find((a) => a.name.startsWith("postgresql-"))
  if (pg === undefined) throw new Error(`no Postgres in ${JSON.stringify(owned)}`)
  await ok(
    api.call("POST", "/addon-attachments", { body: { app: sharer, addon: pg.name, name: "SHARED_DB" } }),
  )
}, 120_000)

afterAll(async () => {
  await sim?.close()
  rmSync(dir, { recursive: true, force: true })
})

test("import writes a manifest without values; a dry-run with the printed exports is in sync", async () => {
  const env = { HEROKU_API_URL: sim.url, HEROKU_API_KEY: simToken }
  const imported = await runCliAsync(
    ["import", "--env", "production", "--app", "adopt-me", "--plain", "NODE_ENV,LOG_LEVEL"],
    {
      cwd: dir,
      env,
    },
  )
  expect(imported.code, imported.stderr).toBe(0)
  const file = readFileSync(join(dir, "manifests", "production.yaml"), "utf8")
  for (const value of Object.values(secrets)) {
    expect(file).not.toContain(value)
    expect(imported.stdout + imported.stderr).not.toContain(value)
  }
  expect(file).toMatch(/^# yaml-language-server: \$schema=/)
  expect(file).toContain("region: eu")
  expect(file).toContain("maintenance: true")
  expect(file).toMatch(/plan: heroku-postgresql:essential-0\s+as: DATABASE/)
  expect(file).toMatch(/plan: heroku-redis:mini\s+as: CACHE/)
  expect(file).toMatch(/web:\s+quantity: 2\s+size: standard-1x/i)
  expect(file).toMatch(/worker:\s+quantity: 1\s+size: basic/i)
  expect(file).toContain("NODE_ENV: production")
  for (const key of Object.keys(secrets)) {
    expect(file).toContain(`${key}:\n        fromEnv: ${key}`)
    expect(imported.stdout).toContain(`export ${key}="$(heroku config:get ${key} -a adopt-me)"`)
  }
  expect(file).not.toContain("DATABASE_URL:")

  const dry = await runCliAsync(["--env", "production", "--dry-run", "--detailed-exitcode"], {
    cwd: dir,
    env: { ...env, ...secrets },
  })
  expect(dry.code, `${dry.stdout}\n${dry.stderr}`).toBe(0)

  const again = await runCliAsync(["import", "--env", "production", "--app", "adopt-me"], { cwd: dir, env })
  expect(again.code).toBe(1)
  expect(again.stderr).toContain("manifests/production.yaml already exists with other content")
}, 90_000)

test("import writes an attach entry for another app's add-on; the dry-run plans no detach", async () => {
  const cwd = join(dir, "sharer")
  mkdirSync(cwd)
  const env = { HEROKU_API_URL: sim.url, HEROKU_API_KEY: simToken }
  const imported = await runCliAsync(["import", "--env", "shared", "--app", sharer, "--plain", "MODE"], {
    cwd,
    env,
  })
  expect(imported.code, imported.stderr).toBe(0)
  const file = readFileSync(join(cwd, "manifests", "shared.yaml"), "utf8")
  expect(file).toMatch(/attach:\s+app: adopt-me\s+addon: postgresql-[\w-]+\s+as: SHARED_DB/)
  expect(file).not.toContain("SHARED_DB_URL:")
  expect(file).not.toContain("postgres://")
  expect(imported.stdout).not.toContain("export SHARED_DB_URL")

  const dry = await runCliAsync(["--env", "shared", "--dry-run", "--detailed-exitcode"], { cwd, env })
  expect(dry.code, `${dry.stdout}\n${dry.stderr}`).toBe(0)
  expect(dry.stdout).not.toMatch(/detach/i)
}, 60_000)
