/**
 * Who may use the simulator: the API, the admin routes and the blob URLs need the token (or, for a
 * blob, the signature in the URL the API handed out); request bodies are bounded (413 in Heroku's
 * error shape).
 */
import { request } from "node:http"
import { afterAll, expect, test } from "vitest"
import { herokuClient, tarball } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

const sims: Simulator[] = []
afterAll(async () => {
  for (const s of sims) await s.close()
})

const start = async () => {
  const sim = await startSimulator({ tokens: ["right-token"], admin: true })
  sims.push(sim)
  return { sim, api: herokuClient(sim.url, "right-token") }
}

test("admin routes refuse requests without the token, or with a wrong one", async () => {
  const { sim } = await start()
  const none = await fetch(`${sim.url}/__sim/counters`)
  expect(none.status).toBe(401)
  expect(await none.json()).toMatchObject({ id: "unauthorized" })
  const put = await fetch(`${sim.url}/__sim/faults`, {
    method: "PUT",
    headers: { Authorization: "Bearer wrong-token" },
    body: JSON.stringify({ errorRate: 1 }),
  })
  expect(put.status).toBe(401)
  expect(sim.faults()).toEqual({})
  const ok = await fetch(`${sim.url}/__sim/counters`, { headers: { Authorization: "Bearer right-token" } })
  expect(ok.status).toBe(200)
})

test("blob URLs work as handed out (signed) and refuse unsigned or tampered ones", async () => {
  const { api } = await start()
  const source = (await api.call("POST", "/sources")).body as { source_blob: { put_url: string } }
  const signed = source.source_blob.put_url
  expect(signed).toMatch(/\?sig=[\w-]{20,}$/)
  const unsigned = signed.replace(/\?.*$/, "")
  const body = await tarball({ "a.txt": "a" })
  expect((await fetch(unsigned, { method: "PUT", body })).status).toBe(401)
  expect((await fetch(`${unsigned}?sig=AAAA`, { method: "PUT", body })).status).toBe(401)
  expect((await fetch(unsigned)).status).toBe(401)
  expect((await fetch(signed, { method: "PUT", body })).status).toBe(200)
  const back = await fetch(signed)
  expect(back.status).toBe(200)
  expect(Buffer.from(await back.arrayBuffer()).equals(body)).toBe(true)
  // the API token is accepted too
  expect((await fetch(unsigned, { headers: { Authorization: "Bearer right-token" } })).status).toBe(200)
  // a signature is bound to its path
  const other = (await api.call("POST", "/sources")).body as { source_blob: { put_url: string } }
  const moved = other.source_blob.put_url.replace(/\?.*$/, "") + signed.slice(signed.indexOf("?"))
  expect((await fetch(moved, { method: "PUT", body })).status).toBe(401)
})

test("a JSON body over 1 MiB gets 413 in Heroku's error shape, and nothing changes", async () => {
  const { sim, api } = await start()
  await api.call("POST", "/apps", { body: { name: "big-body" } })
  const res = await api.call("PATCH", "/apps/big-body/config-vars", { body: { BIG: "x".repeat(1_100_000) } })
  expect(res.status).toBe(413)
  expect(res.body).toMatchObject({ id: "request_entity_too_large" })
  expect(sim.state().releases.filter((r) => r.description.includes("BIG"))).toEqual([])
})

test("a source upload announcing more than the blob cap gets 413 without being read", async () => {
  const { api } = await start()
  const source = (await api.call("POST", "/sources")).body as { source_blob: { put_url: string } }
  const status = await new Promise<number>((done, fail) => {
    const req = request(source.source_blob.put_url, {
      method: "PUT",
      headers: { "Content-Length": String(2 * 1024 * 1024 * 1024) },
    })
    req.on("response", (res) => {
      res.resume()
      done(res.statusCode ?? 0)
    })
    req.on("error", fail)
    req.write("x")
  })
  expect(status).toBe(413)
})
