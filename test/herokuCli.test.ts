/**
 * A client we did not write: the official Heroku CLI's everyday commands on a deployed app against a
 * standalone simulator (releases, dynos and scaling, restart, logs, rollback). Its config, add-on,
 * backup, pipeline, domain, drain and feature commands are in herokuCliConfig.test.ts: two files
 * with their own simulators, so the two test workers share the CLI's cost (each call is a process
 * loading ~700 packages).
 */
import { afterAll, beforeAll, describe, test } from "vitest"
import { buildDir, fixtureApp } from "./support/build.ts"
import {
  type HerokuCliFixture,
  herokuCliPresent,
  herokuCliToken,
  startHerokuCliFixture,
} from "./support/herokuCli.ts"
import { herokuClient, waitFor } from "./support/simClient.ts"

const present = herokuCliPresent("test/herokuCli.test.ts")
let cli: HerokuCliFixture

describe.skipIf(!present)("the official Heroku CLI against the simulator: a deployed app", () => {
  beforeAll(async () => {
    cli = await startHerokuCliFixture()
  })
  afterAll(async () => {
    await cli?.close()
  })

  test("releases, dynos, scaling, restart, logs and rollback", async ({ expect }) => {
    const { heroku, sim } = cli
    const created = await heroku("apps:create", "cli-app")
    expect(created.code, created.out).toBe(0)
    const api = herokuClient(sim.url, herokuCliToken)
    // a release before the deploy (a config change, as a user makes one)
    const set = await heroku("config:set", "GREETING=hello", "-a", "cli-app")
    expect(set.code, set.out).toBe(0)

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
    // each CLI call is a ~1.5 s process of its own: calls that do not depend on each other run at once
    await dynosUp(["web.1"])
    const [releases, ps] = await Promise.all([
      heroku("releases", "-a", "cli-app"),
      heroku("ps", "-a", "cli-app"),
    ])
    expect(releases.code, releases.out).toBe(0)
    const versions = [...releases.out.matchAll(/^\s*v(\d+)\s/gm)].map((m) => Number(m[1]))
    expect(versions.length).toBeGreaterThanOrEqual(3)
    expect(versions).toEqual([...versions].sort((a, b) => b - a)) // newest first, as Heroku lists them
    expect(ps.code, ps.out).toBe(0)
    expect(ps.out).toMatch(/web\.1: up/)

    const scaled = await heroku("ps:scale", "web=2", "-a", "cli-app")
    expect(scaled.code, scaled.out).toBe(0)
    await dynosUp(["web.1", "web.2"])
    const [scaledPs, logs] = await Promise.all([
      heroku("ps", "-a", "cli-app"),
      heroku("logs", "-n", "50", "-a", "cli-app"),
    ])
    expect(scaledPs.out).toContain("web.2")
    expect(logs.code, logs.out).toBe(0)
    expect(logs.out).toMatch(/app\[web\.1\]|heroku\[web\.1\]/)

    // the deploy, then a config change (which keeps its slug), then back to the deploy; a restart
    // makes no release, so it runs beside the config change
    const deployed = versions[0]!
    const [restarted, after1] = await Promise.all([
      heroku("ps:restart", "web", "-a", "cli-app"),
      heroku("config:set", "AFTER=1", "-a", "cli-app"),
    ])
    expect(restarted.code, restarted.out).toBe(0)
    expect(after1.code, after1.out).toBe(0)
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
})
