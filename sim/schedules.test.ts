/**
 * Scheduled daily backups through the Data API routes the Heroku CLI uses
 * (`/client/v11/databases/{db}/transfer-schedules`): create (a second POST for the same name
 * replaces it), list, delete; the simulator takes the backup once a day when its hour has come in
 * its timezone (named `a001`, restorable like any backup), and schedules survive a restart.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, expect, test } from "vitest"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { herokuClient, waitFor } from "../test/support/simClient.ts"
import { startSimulator } from "./index.ts"

const dir = mkdtempSync(join(tmpdir(), "sim-schedules-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const options = {
  tokens: ["s"],
  stateFile: join(dir, "state.json"),
  dataDir: join(dir, "data"),
  postgres: { adminUrl: postgresAdminUrl() },
  provisionDelayMs: 0,
  admin: true,
}

type Obj = Record<string, unknown>

test("schedules: create, replace, list, take when due in their timezone, survive a restart, delete", async () => {
  let sim = await startSimulator(options)
  let api = herokuClient(sim.url, "s")
  const ok = async (method: string, path: string, body?: unknown): Promise<Obj & Obj[]> => {
    const res = await api.call(method, path, body === undefined ? {} : { body })
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
    return res.body as Obj & Obj[]
  }
  try {
    await ok("POST", "/apps", { name: "sched-app" })
    const db = await ok("POST", "/apps/sched-app/addons", {
      plan: "heroku-postgresql:essential-0",
      config: { version: "16" },
    })
    const info = await ok("GET", `/client/v11/databases/${db.id}`)
    expect(info.info).toContainEqual({ name: "PG Version", values: ["16"] })
    const path = `/client/v11/databases/${db.id}/transfer-schedules`
    // the body `heroku pg:backups:schedule --at '02:00 Europe/Paris'` sends
    await ok("POST", path, { hour: "02", timezone: "Europe/Paris", schedule_name: "DATABASE_URL" })
    const refused = await api.call("POST", path, { body: { hour: "24", schedule_name: "DATABASE_URL" } })
    expect(refused.status).toBe(422)
    const bad = await api.call("POST", path, { body: { hour: 2, timezone: "Mars/Base", schedule_name: "X" } })
    expect(bad.status).toBe(422)
    await ok("POST", path, { hour: "3", timezone: "Europe/Paris", schedule_name: "DATABASE_URL" })
    const listed = await ok("GET", path)
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ name: "DATABASE_URL", hour: 3, timezone: "Europe/Paris" })

    // 01:30 UTC is 02:30 in Paris in December: not yet; 02:10 UTC is 03:10 there: due, once a day
    expect(await sim.runScheduledBackups(new Date("2030-12-02T01:30:00Z"))).toEqual([])
    expect(await sim.runScheduledBackups(new Date("2030-12-02T02:10:00Z"))).toEqual(["a001"])
    expect(await sim.runScheduledBackups(new Date("2030-12-02T05:00:00Z"))).toEqual([])
    const transfers = await ok("GET", "/client/v11/apps/sched-app/transfers")
    expect(transfers.map((t) => `${t.name}:${t.succeeded}:${t.from_name}`)).toEqual(["a001:true:DATABASE"])
    const restore = await ok("POST", `/client/v11/databases/${db.id}/restores`, { backup: "a001" })
    await waitFor(async () => {
      const t = await ok("GET", `/client/v11/apps/sched-app/transfers/${restore.uuid}`)
      return t.finished_at === null ? undefined : t
    })

    await sim.close()
    sim = await startSimulator(options)
    api = herokuClient(sim.url, "s")
    const again = await ok("GET", path)
    expect(again.map((s) => s.uuid)).toEqual([listed[0]!.uuid])
    // the admin hook takes the next day's backup
    const hook = await fetch(`${sim.url}/__sim/scheduled-backups`, {
      method: "POST",
      headers: { Authorization: "Bearer s" },
      body: JSON.stringify({ at: "2030-12-03T02:10:00Z" }),
    })
    expect(await hook.json()).toEqual({ backups: ["a003"] })
    const gone = await ok("DELETE", `${path}/${listed[0]!.uuid}`)
    expect(gone.name).toBe("DATABASE_URL")
    expect(await ok("GET", path)).toEqual([])
    // a deleted database takes its schedules with it
    await ok("POST", path, { hour: "3", schedule_name: "DATABASE_URL" })
    await ok("DELETE", `/apps/sched-app/addons/${db.id}`)
    expect(sim.state().schedules).toEqual([])
  } finally {
    await sim.close()
  }
}, 60_000)
