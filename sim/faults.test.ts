/** Fault injection: reproducible from the seed, and each kind behaves as the client would see it. */
import { afterEach, expect, test } from "vitest"
import { herokuClient } from "../test/support/simClient.ts"
import type { FaultConfig, Simulator } from "./index.ts"
import { startSimulator } from "./index.ts"

const started: Simulator[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()))
})

const start = async (faults: FaultConfig, seed: number) => {
  const sim = await startSimulator({ tokens: ["t"], faults, seed, admin: true })
  started.push(sim)
  return sim
}

const mixed: FaultConfig = {
  jitterMs: 3,
  errors: [{ route: "GET /apps/*", rate: 0.2, status: 503 }],
  rateLimitBursts: { rate: 0.05, length: 2 },
  drops: [{ route: "PATCH /apps/*/config-vars", rate: 0.2 }],
  commitThenDrop: [{ route: "POST /apps", rate: 0.3 }],
}

/** A fixed request sequence; returns the fault (or none) each request met. */
const drive = async (sim: Simulator): Promise<string[]> => {
  const api = herokuClient(sim.url, "t")
  for (let i = 0; i < 40; i++) {
    const calls = [
      () => api.call("POST", "/apps", { body: { name: `fault-app-${i}` } }),
      () => api.call("GET", `/apps/fault-app-${i}`),
      () => api.call("PATCH", `/apps/fault-app-${i}/config-vars`, { body: { N: String(i) } }),
    ]
    for (const call of calls) await call().catch(() => "dropped")
  }
  return sim.requestLog().map((e) => `${e.method} ${e.path} ${e.status} ${e.fault ?? "-"}`)
}

test("the same seed gives the same sequence of injected faults", async () => {
  const a = await drive(await start(mixed, 42))
  const b = await drive(await start(mixed, 42))
  const c = await drive(await start(mixed, 7))
  expect(a).toEqual(b)
  expect(a).not.toEqual(c)
  const kinds = new Set(a.map((line) => line.split(" ")[3]))
  expect(kinds).toEqual(new Set(["-", "error", "rate_limit", "drop", "commit_then_drop"]))
})

test("commit then drop: the client sees a reset, the change is applied", async () => {
  const sim = await start({ commitThenDrop: [{ route: "POST /apps", rate: 1 }] }, 1)
  const api = herokuClient(sim.url, "t")
  await expect(api.call("POST", "/apps", { body: { name: "committed-app" } })).rejects.toThrow()
  sim.setFaults({})
  expect((await api.call("GET", "/apps/committed-app")).status).toBe(200)
})

test("a drop happens before the handler: nothing is applied", async () => {
  const sim = await start({ drops: [{ route: "POST /apps", rate: 1 }] }, 1)
  const api = herokuClient(sim.url, "t")
  await expect(api.call("POST", "/apps", { body: { name: "dropped-app" } })).rejects.toThrow()
  sim.setFaults({})
  expect((await api.call("GET", "/apps/dropped-app")).status).toBe(404)
  expect(sim.requestLog()[0]).toMatchObject({ method: "POST", path: "/apps", status: 0, fault: "drop" })
})

test("5xx and 429 faults answer with Heroku error bodies; latency delays", async () => {
  const sim = await start({ latencyMs: 30, errors: [{ route: "GET /account", rate: 1, status: 500 }] }, 1)
  const api = herokuClient(sim.url, "t")
  const t0 = Date.now()
  const res = await api.call("GET", "/account")
  expect(Date.now() - t0).toBeGreaterThanOrEqual(25)
  expect(res.status).toBe(500)
  expect(res.body).toMatchObject({ id: "internal_server_error" })
  sim.setFaults({ rateLimitBursts: { rate: 1, length: 3 } })
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await api.call("GET", "/apps")).status)
  expect(statuses).toEqual([429, 429, 429])
})

test("the admin routes expose the log, counters, reset and faults", async () => {
  const sim = await start({}, 1)
  const api = herokuClient(sim.url, "t")
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}${path}`, { ...init, headers: { Authorization: "Bearer t" } })
  await api.call("POST", "/apps", { body: { name: "admin-app" } })
  await api.call("PATCH", "/apps/admin-app/config-vars", { body: { A: "1" } })
  const counters = await (await admin(`/__sim/counters`)).json()
  expect(counters).toEqual({ requests: 2, mutatingRequests: 2, releasesByApp: { "admin-app": 2 } })
  const log = (await (await admin(`/__sim/requests`)).json()) as {
    path: string
    durationMs: number
  }[]
  expect(log.map((e) => e.path)).toEqual(["/apps", "/apps/admin-app/config-vars"])
  const put = await admin(`/__sim/faults`, {
    method: "PUT",
    body: JSON.stringify({ latencyMs: 1, seed: 3 }),
  })
  expect(put.status).toBe(200)
  expect(await (await admin(`/__sim/faults`)).json()).toEqual({ latencyMs: 1 })
  const bad = await admin(`/__sim/faults`, { method: "PUT", body: JSON.stringify({ nope: 1 }) })
  expect(bad.status).toBe(422)
  await admin(`/__sim/reset`, { method: "POST" })
  expect(sim.counters()).toEqual({ requests: 0, mutatingRequests: 0, releasesByApp: {} })
})

test("the admin routes are off unless enabled", async () => {
  const sim = await startSimulator({ tokens: ["t"] })
  started.push(sim)
  expect((await fetch(`${sim.url}/__sim/counters`)).status).toBe(401)
})
