/** The simulator can start (and on close stop) its own embedded Postgres. */
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { expect, test } from "vitest"
import { herokuClient, waitFor } from "../../test/support/simClient.ts"
import { startSimulator } from "../index.ts"

test("postgres: { embedded } starts a server, add-ons get databases, close() stops it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sim-embedded-"))
  await chmod(dir, 0o755)
  try {
    const sim = await startSimulator({
      tokens: ["t"],
      postgres: { embedded: { dataDir: join(dir, "pg") } },
      provisionDelayMs: 0,
    })
    const api = herokuClient(sim.url, "t")
    await api.call("POST", "/apps", { body: { name: "embedded-app" } })
    const addon = await api.call("POST", "/apps/embedded-app/addons", { body: { plan: "heroku-postgresql" } })
    expect(addon.body).toMatchObject({ state: "provisioned", config_vars: ["DATABASE_URL"] })
    const url = await waitFor(async () => {
      const config = (await api.call("GET", "/apps/embedded-app/config-vars")).body as Record<string, string>
      return config.DATABASE_URL
    })
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }])
    await client.end()
    await sim.close()
    const after = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
    await expect(after.connect()).rejects.toThrow()
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
