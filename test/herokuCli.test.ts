/**
 * A client we did not write: the official Heroku CLI's everyday commands against a standalone
 * simulator (apps, config, releases, rollback, add-ons, dynos and scaling, restart, logs, backup
 * schedules; and the pipeline, domains, drains and features that reconcile's manifests made). The CLI
 * is not a dependency of the product (it is ~700 packages): `.ci/run` installs it under
 * `.cache/heroku-cli/`, or `HEROKU_CLI_BIN` names one. Without either, the suite says loudly that
 * this file was skipped.
 */
import { execFile } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, test } from "vitest"
import { type Simulator, startSimulator } from "../sim/index.ts"
import { buildDir, fixtureApp } from "./support/build.ts"
import { runCliAsync } from "./support/cli.ts"
import { postgresAdminUrl } from "./support/postgres.ts"
import { herokuClient, waitFor } from "./support/simClient.ts"

const bundled = resolve(import.meta.dirname, "../.cache/heroku-cli/node_modules/.bin/heroku")
const bin = process.env.HEROKU_CLI_BIN ?? (existsSync(bundled) ? bundled : undefined)
if (bin === undefined) {
  console.warn(
    "\n*** SKIPPED test/herokuCli.test.ts: the official Heroku CLI is not installed. " +
      "Run `npm install --prefix .cache/heroku-cli --ignore-scripts heroku@11` (as .ci/run does) " +
      "or set HEROKU_CLI_BIN. ***\n",
  )
}

const TOKEN = "cli-token"
let sim: Simulator
let dataDir: string
let home: string

/** At most two CLI processes at once (each loads ~700 packages): enough to overlap waiting, not a load spike. */
let running = 0
const waiting: Array<() => void> = []
const slot = async <A>(f: () => Promise<A>): Promise<A> => {
  if (running < 2) running++
  else await new Promise<void>((r) => waiting.push(r)) // a finished call hands its slot over
  try {
    return await f()
  } finally {
    const next = waiting.shift()
    if (next === undefined) running--
    else next()
  }
}

/** Runs `heroku ARGS` against the simulator; resolves with its exit code and output. */
const heroku = (...args: string[]) =>
  slot(
    () =>
      new Promise<{ code: number; out: string }>((ok) => {
        execFile(
          bin!,
          args,
          {
            // a guard against a hung process; the test's timeout is the limit
            timeout: 180_000,
            env: {
              PATH: process.env.PATH,
              HOME: home,
              HEROKU_HOST: sim.url,
              HEROKU_API_KEY: TOKEN,
              // the Data API (pg:backups) on the same loopback port: the CLI takes the scheme and port from HEROKU_HOST
              HEROKU_DATA_HOST: "127.0.0.1",
              HEROKU_SKIP_NEW_VERSION_CHECK: "1",
              HEROKU_DISABLE_AUTOUPDATE: "1",
              // no analytics worker process per command (and no attempt to reach the network)
              DISABLE_TELEMETRY: "true",
              NO_COLOR: "1",
              CI: "1",
            },
          },
          (error, stdout, stderr) =>
            ok({
              code: error === null ? 0 : Number(error.code ?? 1),
              out: `${error?.killed ? `[heroku ${args[0]} killed by ${error.signal}]\n` : ""}${stdout}${stderr}`,
            }),
        )
      }),
  )

// the two tests use different apps on one simulator: they run at once
describe.skipIf(bin === undefined)("the official Heroku CLI against the simulator", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sim-heroku-cli-"))
    home = mkdtempSync(join(tmpdir(), "heroku-cli-home-"))
    sim = await startSimulator({
      tokens: [TOKEN],
      dataDir,
      postgres: { adminUrl: postgresAdminUrl() },
      provisionDelayMs: 20,
      dynos: { graceMs: 300 },
    })
  })
  afterAll(async () => {
    await sim?.close()
    for (const d of [dataDir, home]) if (d !== undefined) rmSync(d, { recursive: true, force: true })
  })

  test.concurrent("apps, config, add-ons, releases, dynos, scaling, restart, logs and rollback", async ({
    expect,
  }) => {
    const created = await heroku("apps:create", "cli-app")
    expect(created.code, created.out).toBe(0)
    const api = herokuClient(sim.url, TOKEN)

    // each CLI call is a ~1.5 s process of its own: calls that do not depend on each other run at once
    const [apps, set, addon] = await Promise.all([
      heroku("apps"),
      heroku("config:set", "GREETING=hello", "-a", "cli-app"),
      heroku("addons:create", "heroku-postgresql:essential-0", "-a", "cli-app"),
    ])
    expect(apps.out).toContain("cli-app")
    expect(set.code, set.out).toBe(0)
    expect(addon.code, addon.out).toBe(0)
    // waiting polls the API (cheap); the CLI then shows what the wait saw
    await waitFor(async () => {
      const listed = (await api.call("GET", "/apps/cli-app/addons")).body as Array<{ state: string }>
      return listed.length === 1 && listed[0]?.state === "provisioned" ? true : undefined
    }, 20_000)
    const [got, config, addons] = await Promise.all([
      heroku("config:get", "GREETING", "-a", "cli-app"),
      heroku("config", "-a", "cli-app"),
      heroku("addons", "-a", "cli-app"),
    ])
    expect(got.out.trim()).toBe("hello")
    expect(config.out).toMatch(/GREETING:\s+hello/)
    expect(addons.out).toContain("created")

    // a deploy through the API (the CLI deploys with git, which the simulator does not serve)
    const build = await buildDir(api, "cli-app", fixtureApp("no-procfile"))
    expect(build.status, build.output).toBe("succeeded")

    const dynosUp = (names: ReadonlyArray<string>) =>
      waitFor(async () => {
        const dynos = (await api.call("GET", "/apps/cli-app/dynos")).body as Array<{
          name: string
          state: string
        }>
        return names.every((n) => dynos.some((d) => d.name === n && d.state === "up")) ? true : undefined
      }, 30_000)
    const [releases, scheduled] = await Promise.all([
      heroku("releases", "-a", "cli-app"),
      heroku("pg:backups:schedule", "DATABASE_URL", "--at", "02:00 UTC", "-a", "cli-app"),
      dynosUp(["web.1"]),
    ])
    expect(releases.code, releases.out).toBe(0)
    const versions = [...releases.out.matchAll(/^\s*v(\d+)\s/gm)].map((m) => Number(m[1]))
    expect(versions.length).toBeGreaterThanOrEqual(3)
    expect(versions).toEqual([...versions].sort((a, b) => b - a)) // newest first, as Heroku lists them
    expect(scheduled.code, scheduled.out).toBe(0)

    const ps = await heroku("ps", "-a", "cli-app")
    expect(ps.code, ps.out).toBe(0)
    expect(ps.out).toMatch(/web\.1: up/)
    const scaled = await heroku("ps:scale", "web=2", "-a", "cli-app")
    expect(scaled.code, scaled.out).toBe(0)
    await dynosUp(["web.1", "web.2"])
    const [scaledPs, schedules, logs] = await Promise.all([
      heroku("ps", "-a", "cli-app"),
      heroku("pg:backups:schedules", "-a", "cli-app"),
      heroku("logs", "-n", "50", "-a", "cli-app"),
    ])
    expect(scaledPs.out).toContain("web.2")
    expect(schedules.out).toContain("DATABASE_URL: daily at 2:00 UTC")
    expect(logs.code, logs.out).toBe(0)
    expect(logs.out).toMatch(/app\[web\.1\]|heroku\[web\.1\]/)
    const restarted = await heroku("ps:restart", "web", "-a", "cli-app")
    expect(restarted.code, restarted.out).toBe(0)

    // the deploy, then a config change (which keeps its slug), then back to the deploy
    const deployed = versions[0]!
    expect((await heroku("config:set", "AFTER=1", "-a", "cli-app")).code).toBe(0)
    const rolled = await heroku("rollback", `v${deployed}`, "-a", "cli-app")
    expect(rolled.code, rolled.out).toBe(0)
    const [after, slugless] = await Promise.all([
      heroku("releases", "-a", "cli-app"),
      // a release from before any deploy has no code: Heroku refuses to roll back to it
      heroku("rollback", "v1", "-a", "cli-app"),
    ])
    expect(after.out).toMatch(new RegExp(`v${deployed + 2}\\s+Rollback to v${deployed}`))
    expect(slugless.code).not.toBe(0)
    expect(slugless.out).toContain("has no slug")
  }, 240_000)

  test.concurrent("pipelines, domains, drains and features", async ({ expect }) => {
    // made by reconcile from manifests (bundled CLI), then listed by the official CLI
    const manifests = join(home, "manifests")
    mkdirSync(manifests)
    const head = (env: string) =>
      `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: ${env} }\nspec:\n`
    writeFileSync(
      join(manifests, "staging.yaml"),
      `${head("staging")}  app: { name: cli-env-staging }\n  pipeline: { name: cli-pipe, stage: staging }\n`,
    )
    writeFileSync(
      join(manifests, "production.yaml"),
      `${head("production")}  app: { name: cli-env-prod, acm: true, features: { preboot: true } }\n` +
        "  pipeline: { name: cli-pipe, stage: production }\n  domains: [api.example.com]\n" +
        "  drains: [{ fromEnv: LOG_DRAIN_URL }]\n",
    )
    const env = {
      HEROKU_API_URL: sim.url,
      HEROKU_API_KEY: TOKEN,
      LOG_DRAIN_URL: "syslog+tls://logs.example.com:6514",
    }
    for (const name of ["staging", "production"]) {
      const applied = await runCliAsync(["--env", name, "--manifests", manifests], { cwd: home, env })
      expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
    }

    const [info, domains, drains, features] = await Promise.all([
      heroku("pipelines:info", "cli-pipe"),
      heroku("domains", "-a", "cli-env-prod"),
      heroku("drains", "-a", "cli-env-prod"),
      heroku("features", "-a", "cli-env-prod"),
    ])
    expect(info.code, info.out).toBe(0)
    expect(info.out).toMatch(/cli-env-staging\s+staging/)
    expect(info.out).toMatch(/cli-env-prod\s+production/)
    expect(domains.out).toMatch(/cli-env-prod-[0-9a-f-]+\.herokuapp\.com/)
    expect(domains.out).toMatch(/api\.example\.com\s+CNAME\s+\S+\.herokudns\.com/)
    expect(drains.out).toMatch(/syslog\+tls:\/\/logs\.example\.com:6514 \(d\.[0-9a-f-]{36}\)/)
    expect(features.out).toMatch(/\[\+\] preboot/)
  }, 120_000)
})
