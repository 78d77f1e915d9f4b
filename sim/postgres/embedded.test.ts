/** The simulator can start (and on close stop) its own embedded Postgres. */
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import pg from "pg"
import { expect, test } from "vitest"
import { herokuClient, waitFor } from "../../test/support/simClient.ts"
import { startSimulator } from "../index.ts"
import { sharedRoot } from "./access.ts"

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

test("in a 0700 directory: random superuser password (0600), TLS, restart on the same port keeps add-on URLs", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sim-embedded-private-")) // mode 0700, like mktemp -d
  const state = join(dir, "sim.json")
  const options = { tokens: ["t"], stateFile: state, provisionDelayMs: 0 }
  const embedded = { embedded: { dataDir: join(dir, "pg") } }
  const cleanups: string[] = []
  try {
    const sim = await startSimulator({ ...options, postgres: embedded })
    if (sim.postgres !== null) cleanups.push(dirname(sim.postgres.dataDir))
    expect(sim.postgres?.tls).toBe(true)
    const admin = new URL(sim.postgresAdminUrl ?? "")
    expect(admin.password).not.toBe("postgres")
    expect(admin.password.length).toBeGreaterThanOrEqual(24)
    const credentials = sim.postgres?.credentialsFile ?? ""
    expect((await stat(credentials)).mode & 0o777).toBe(0o600)
    expect(await readFile(credentials, "utf8")).toContain(decodeURIComponent(admin.password))
    const api = herokuClient(sim.url, "t")
    await api.call("POST", "/apps", { body: { name: "private-app" } })
    await api.call("POST", "/apps/private-app/addons", { body: { plan: "heroku-postgresql" } })
    const config = async () =>
      (await api.call("GET", "/apps/private-app/config-vars")).body as Record<string, string>
    const url = await waitFor(async () => (await config()).DATABASE_URL)
    // as Heroku apps connect: TLS without verifying the certificate
    const tls = new pg.Client({ connectionString: url, ssl: { rejectUnauthorized: false } })
    await tls.connect()
    const row = (
      await tls.query(
        "select ssl, usesuper from pg_stat_ssl, pg_user where pid = pg_backend_pid() and usename = current_user",
      )
    ).rows[0]
    expect(row).toEqual({ ssl: true, usesuper: false })
    await tls.end()
    await sim.close()

    const again = await startSimulator({ ...options, postgres: embedded })
    try {
      expect(again.postgresAdminUrl).toBe(sim.postgresAdminUrl)
      const stored = (await herokuClient(again.url, "t").call("GET", "/apps/private-app/config-vars"))
        .body as Record<string, string>
      expect(stored.DATABASE_URL).toBe(url)
      const plain = new pg.Client({ connectionString: url })
      await plain.connect()
      expect((await plain.query("select 1 as one")).rows).toEqual([{ one: 1 }])
      await plain.end()
    } finally {
      await again.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
    // as root the data sits under /var/tmp (the postgres user cannot enter a 0700 dir)
    for (const d of cleanups) if (d.startsWith(sharedRoot)) await rm(d, { recursive: true, force: true })
  }
}, 60_000)
