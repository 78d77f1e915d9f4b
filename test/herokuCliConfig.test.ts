/**
 * A client we did not write: the official Heroku CLI's everyday commands against a standalone
 * simulator: apps, config, add-ons and backup schedules; and the pipeline, domains, drains and
 * features that reconcile's manifests made. The deployed app's commands (releases, dynos, logs,
 * rollback) are in herokuCli.test.ts, with a simulator of its own.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, test } from "vitest"
import { runCliAsync } from "./support/cli.ts"
import {
  type HerokuCliFixture,
  herokuCliPresent,
  herokuCliToken,
  startHerokuCliFixture,
} from "./support/herokuCli.ts"
import { herokuClient, waitFor } from "./support/simClient.ts"

const present = herokuCliPresent("test/herokuCliConfig.test.ts")
let cli: HerokuCliFixture

// the two tests use different apps on one simulator: they run at once
describe.skipIf(!present)("the official Heroku CLI against the simulator: config and environment", () => {
  beforeAll(async () => {
    cli = await startHerokuCliFixture()
  })
  afterAll(async () => {
    await cli?.close()
  })

  test.concurrent("apps, config, add-ons and backup schedules", async ({ expect }) => {
    const { heroku, sim } = cli
    const created = await heroku("apps:create", "cli-config-app")
    expect(created.code, created.out).toBe(0)
    const api = herokuClient(sim.url, herokuCliToken)

    // each CLI call is a ~1.5 s process of its own: calls that do not depend on each other run at once
    const [apps, set, addon] = await Promise.all([
      heroku("apps"),
      heroku("config:set", "GREETING=hello", "-a", "cli-config-app"),
      heroku("addons:create", "heroku-postgresql:essential-0", "-a", "cli-config-app"),
    ])
    expect(apps.out).toContain("cli-config-app")
    expect(set.code, set.out).toBe(0)
    expect(addon.code, addon.out).toBe(0)
    // waiting polls the API (cheap); the CLI then shows what the wait saw
    await waitFor(async () => {
      const listed = (await api.call("GET", "/apps/cli-config-app/addons")).body as Array<{ state: string }>
      return listed.length === 1 && listed[0]?.state === "provisioned" ? true : undefined
    }, 20_000)
    const [got, config, addons, scheduled] = await Promise.all([
      heroku("config:get", "GREETING", "-a", "cli-config-app"),
      heroku("config", "-a", "cli-config-app"),
      heroku("addons", "-a", "cli-config-app"),
      heroku("pg:backups:schedule", "DATABASE_URL", "--at", "02:00 UTC", "-a", "cli-config-app"),
    ])
    expect(got.out.trim()).toBe("hello")
    expect(config.out).toMatch(/GREETING:\s+hello/)
    expect(addons.out).toContain("created")
    expect(scheduled.code, scheduled.out).toBe(0)
    const schedules = await heroku("pg:backups:schedules", "-a", "cli-config-app")
    expect(schedules.out).toContain("DATABASE_URL: daily at 2:00 UTC")
  }, 240_000)

  test.concurrent("pipelines, domains, drains and features", async ({ expect }) => {
    const { heroku, sim, home } = cli
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
      HEROKU_API_KEY: herokuCliToken,
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
