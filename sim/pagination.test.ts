/** Range pagination: 206 + Next-Range while more remains, 200 without it on the last page. */
import { afterAll, beforeAll, expect, test } from "vitest"
import { type HerokuClient, herokuClient } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator
let api: HerokuClient

beforeAll(async () => {
  sim = await startSimulator({ tokens: ["t"] })
  api = herokuClient(sim.url, "t")
  for (let i = 0; i < 450; i++) {
    const res = await api.call("POST", "/apps", { body: { name: `page-app-${String(i).padStart(3, "0")}` } })
    expect(res.status).toBe(201)
  }
})
afterAll(() => sim?.close())

const walk = async (first: string) => {
  const statuses: number[] = []
  const names: string[] = []
  let range: string | null = first
  while (range !== null) {
    const res = await api.call("GET", "/apps", { headers: { Range: range } })
    statuses.push(res.status)
    names.push(...(res.body as { name: string }[]).map((a) => a.name))
    range = res.headers.get("Next-Range")
  }
  return { statuses, names }
}

test("450 apps in pages of 200: 206, 206, 200 and every app once", async () => {
  for (const first of ["id ..; max=200", "name ..; max=200, order=desc"]) {
    const { statuses, names } = await walk(first)
    expect(statuses).toEqual([206, 206, 200])
    expect(names).toHaveLength(450)
    expect(new Set(names).size).toBe(450)
  }
})

test("default page is 200; explicit start and end bounds; order", async () => {
  const res = await api.call("GET", "/apps")
  expect(res.status).toBe(206)
  expect(res.body).toHaveLength(200)
  expect(res.headers.get("Accept-Ranges")).toBe("id, name, updated_at")
  const bounded = await api.call("GET", "/apps", {
    headers: { Range: "name page-app-010..page-app-019; max=5" },
  })
  expect((bounded.body as { name: string }[]).map((a) => a.name)).toEqual([
    "page-app-010",
    "page-app-011",
    "page-app-012",
    "page-app-013",
    "page-app-014",
  ])
  expect(bounded.headers.get("Next-Range")).toBe("name ]page-app-014..; max=5, order=asc")
  const exclusive = await api.call("GET", "/apps", { headers: { Range: "name ]page-app-447..; max=10" } })
  expect(exclusive.status).toBe(200)
  expect((exclusive.body as { name: string }[]).map((a) => a.name)).toEqual(["page-app-448", "page-app-449"])
})

test("an unknown range field is 416", async () => {
  const res = await api.call("GET", "/apps", { headers: { Range: "colour ..; max=10" } })
  expect(res.status).toBe(416)
  expect(res.body).toMatchObject({ id: "requested_range_not_satisfiable" })
})

test("releases page by version, newest first", async () => {
  for (let i = 0; i < 4; i++)
    await api.call("PATCH", "/apps/page-app-000/config-vars", { body: { N: String(i) } })
  const res = await api.call("GET", "/apps/page-app-000/releases", {
    headers: { Range: "version ..; max=2, order=desc" },
  })
  expect(res.status).toBe(206)
  expect((res.body as { version: number }[]).map((r) => r.version)).toEqual([5, 4])
  const next = await api.call("GET", "/apps/page-app-000/releases", {
    headers: { Range: res.headers.get("Next-Range")! },
  })
  expect((next.body as { version: number }[]).map((r) => r.version)).toEqual([3, 2])
})
