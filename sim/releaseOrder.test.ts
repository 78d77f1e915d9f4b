/** Releases come back in Heroku's order: by version, and `version ..; order=desc` as the CLI asks. */
import { afterAll, beforeAll, expect, test } from "vitest"
import { herokuClient } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

let sim: Simulator

beforeAll(async () => {
  sim = await startSimulator({ tokens: ["t"] })
})
afterAll(() => sim?.close())

test("release lists are ordered by version; Range version ..; max, order=desc pages newest first", async () => {
  const api = herokuClient(sim.url, "t")
  await api.call("POST", "/apps", { body: { name: "ordered" } })
  for (let i = 0; i < 12; i++)
    await api.call("PATCH", "/apps/ordered/config-vars", { body: { N: String(i) } })
  const all = await api.call("GET", "/apps/ordered/releases")
  const versions = (all.body as { version: number }[]).map((r) => r.version)
  expect(versions).toEqual(Array.from({ length: 13 }, (_, i) => i + 1))
  const newest = await api.call("GET", "/apps/ordered/releases", {
    headers: { Range: "version ..; max=3, order=desc" },
  })
  expect(newest.status).toBe(206)
  expect((newest.body as { version: number }[]).map((r) => r.version)).toEqual([13, 12, 11])
  expect(newest.headers.get("next-range")).toBe("version ]11..; max=3, order=desc")
})
