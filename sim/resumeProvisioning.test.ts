/**
 * A restart in the middle of a Postgres add-on's create: the add-on was recorded ("provisioning",
 * no database yet) and saved, then the process died before its database existed. The next start
 * makes the database, finishes provisioning and exposes DATABASE_URL (sim/resume.ts), so the
 * add-on is never left provisioning for ever nor pointing at nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { afterAll, expect, test } from "vitest"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { herokuClient, waitFor } from "../test/support/simClient.ts"
import { startSimulator } from "./index.ts"

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))

type Addon = { name: string; state: string; url: string; database: unknown }

test("an add-on saved as provisioning without a database gets one after a restart", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sim-resume-"))
  dirs.push(dir)
  const stateFile = join(dir, "state.json")
  const options = {
    tokens: ["t"],
    stateFile,
    dataDir: join(dir, "data"),
    postgres: { adminUrl: postgresAdminUrl() },
    provisionDelayMs: 0,
  }
  const first = await startSimulator(options)
  const api1 = herokuClient(first.url, "t")
  expect((await api1.call("POST", "/apps", { body: { name: "resume-app" } })).status).toBe(201)
  const body = { plan: "heroku-postgresql:essential-0", name: "resume-db" }
  expect((await api1.call("POST", "/apps/resume-app/addons", { body })).status).toBe(201)
  await first.close()

  // what a crash between recording the add-on and making its database leaves on disk
  const state = JSON.parse(await readFile(stateFile, "utf8")) as { addons: Array<Addon> }
  const saved = state.addons.find((a) => a.name === "resume-db")
  if (saved === undefined) throw new Error("the add-on was not saved")
  const oldUrl = saved.url
  Object.assign(saved, { state: "provisioning", url: "", database: null })
  await writeFile(stateFile, JSON.stringify(state))

  const second = await startSimulator(options)
  try {
    const api2 = herokuClient(second.url, "t")
    const addon = await waitFor(async () => {
      const listed = (await api2.call("GET", "/apps/resume-app/addons")).body as Array<Addon>
      const found = listed.find((a) => a.name === "resume-db")
      return found?.state === "provisioned" ? found : undefined
    }, 20_000)
    expect(addon.name).toBe("resume-db")
    const listed = (await api2.call("GET", "/apps/resume-app/addons")).body as Array<Addon>
    expect(listed.map((a) => a.name)).toEqual(["resume-db"])
    const config = (await api2.call("GET", "/apps/resume-app/config-vars")).body as Record<string, string>
    expect(config.DATABASE_URL).toMatch(/^postgres:\/\//)
    expect(config.DATABASE_URL).not.toBe(oldUrl)
    const client = new pg.Client({ connectionString: config.DATABASE_URL })
    await client.connect()
    try {
      expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }])
    } finally {
      await client.end()
    }
    // saved again: a third start finds it provisioned with its database
    const after = JSON.parse(await readFile(stateFile, "utf8")) as { addons: Array<Addon> }
    const record = after.addons.find((a) => a.name === "resume-db")
    expect(record?.state).toBe("provisioned")
    expect(record?.database).not.toBeNull()
  } finally {
    await second.close()
  }
})
