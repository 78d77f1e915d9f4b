/**
 * A Postgres add-on is recorded the moment its create arrives, before its database exists (as on
 * Heroku, where the create answers "provisioning" at once). A second create racing the first (a
 * client retrying an answer it lost) then finds it, and never makes a second add-on.
 */
import { afterAll, beforeAll, expect, test } from "vitest"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { herokuClient } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({
    tokens: ["t"],
    postgres: { adminUrl: postgresAdminUrl() },
    provisionDelayMs: 0,
  })
})
afterAll(() => sim.close())

test("two creates of one add-on name at once make one add-on: the second is refused, not a twin", async () => {
  const api = herokuClient(sim.url, "t")
  expect((await api.call("POST", "/apps", { body: { name: "race-app" } })).status).toBe(201)
  const body = { plan: "heroku-postgresql:essential-0", name: "race-db" }
  const answers = await Promise.all([
    api.call("POST", "/apps/race-app/addons", { body }),
    api.call("POST", "/apps/race-app/addons", { body }),
  ])
  expect(answers.map((a) => a.status).sort()).toEqual([201, 422])
  const listed = (await api.call("GET", "/apps/race-app/addons")).body as Array<{
    name: string
    state: string
  }>
  expect(listed.map((a) => a.name)).toEqual(["race-db"])
  expect(listed[0]?.state).toBe("provisioned")
  const config = (await api.call("GET", "/apps/race-app/config-vars")).body as Record<string, string>
  expect(config.DATABASE_URL).toMatch(/^postgres:\/\//)
})
