/** The wire protocol: auth, Accept, error bodies, Request-Id, ETag/304, RateLimit-Remaining and 429. */
import { afterAll, beforeAll, expect, test } from "vitest"
import { ACCEPT, herokuClient } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator

beforeAll(async () => {
  sim = await startSimulator({ tokens: ["good"], rateLimit: { capacity: 5, refillPerMinute: 0 } })
})
afterAll(() => sim?.close())

const get = (path: string, headers: Record<string, string>) => fetch(`${sim.url}${path}`, { headers })

test("auth: Bearer and Basic with an empty user; anything else is 401 unauthorized", async () => {
  const basic = `Basic ${Buffer.from(":good").toString("base64")}`
  expect((await get("/account/rate-limits", { Accept: ACCEPT, Authorization: "Bearer good" })).status).toBe(
    200,
  )
  expect((await get("/account/rate-limits", { Accept: ACCEPT, Authorization: basic })).status).toBe(200)
  for (const auth of ["Bearer bad", `Basic ${Buffer.from(":bad").toString("base64")}`, ""]) {
    const res = await get("/account/rate-limits", { Accept: ACCEPT, Authorization: auth })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ id: "unauthorized" })
  }
})

test("Accept: version=3 and variants; otherwise 406", async () => {
  const auth = { Authorization: "Bearer good" }
  const sdk = "application/vnd.heroku+json; version=3.sdk"
  expect((await get("/account/rate-limits", { ...auth, Accept: sdk })).status).toBe(200)
  const bad = await get("/account/rate-limits", { ...auth, Accept: "application/json" })
  expect(bad.status).toBe(406)
  expect(await bad.json()).toMatchObject({ id: "not_acceptable" })
})

test("headers, ETag and 304 only with a matching If-None-Match; 404 and 422 bodies", async () => {
  const api = herokuClient(sim.url, "good")
  const res = await api.call("GET", "/account/rate-limits")
  expect(res.headers.get("Request-Id")).toMatch(/^[0-9a-f-]{36}$/)
  expect(res.headers.get("RateLimit-Remaining")).toBe("5")
  const etag = res.headers.get("ETag")!
  expect((await api.call("GET", "/account/rate-limits", { headers: { "If-None-Match": etag } })).status).toBe(
    304,
  )
  expect(
    (await api.call("GET", "/account/rate-limits", { headers: { "If-None-Match": '"other"' } })).status,
  ).toBe(200)
  const missing = await api.call("GET", "/apps/no-such-app")
  expect(missing.status).toBe(404)
  expect(missing.body).toMatchObject({ id: "not_found", resource: "app" })
  const badName = await api.call("POST", "/apps", { body: { name: "Bad_Name" } })
  expect(badName.status).toBe(422)
  expect(badName.body).toMatchObject({ id: "invalid_params" })
})

test("every call takes a token; an empty bucket is 429 rate_limit", async () => {
  const api = herokuClient(sim.url, "good")
  const seen: number[] = []
  for (let i = 0; i < 4; i++) seen.push((await api.call("GET", "/apps")).status)
  expect(seen.slice(-1)).toEqual([429])
  const limited = await api.call("GET", "/apps")
  expect(limited.body).toMatchObject({ id: "rate_limit" })
  expect(limited.headers.get("RateLimit-Remaining")).toBe("0")
  expect((await api.call("GET", "/account/rate-limits")).body).toEqual({ remaining: 0 })
})
