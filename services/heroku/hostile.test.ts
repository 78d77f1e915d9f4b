/**
 * HerokuApi against a hostile API: endless pagination is refused after the first repeated
 * Next-Range (not followed 28,000 times), and a slow-drip or reset body ends within the request
 * timeout with one clear error.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { afterEach, describe, expect, it } from "vitest"
import { type HostileApi, type HostileMode, startHostileApi } from "../../test/support/hostileApi.ts"
import { HerokuApi, layer } from "./HerokuApi.ts"

const App = Schema.Struct({ id: Schema.String, name: Schema.String })

let server: HostileApi | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const against = async <A>(mode: HostileMode, use: (api: HerokuApi["Type"]) => Effect.Effect<A, unknown>) => {
  server = await startHostileApi(mode)
  const api = layer({ baseUrl: server.url, token: "t", requestTimeout: "1 second", maxPages: 50 }).pipe(
    Layer.provide(NodeHttpClient.layer),
  )
  const started = Date.now()
  const r = await Effect.runPromise(
    Effect.flatMap(HerokuApi, use).pipe(
      Effect.provide(api),
      Effect.either,
      // the test's own bound against a hang (without the fixes these calls never end), not a time
      // limit: 50 pages took 9.5 s on a 2-core machine loaded 20 times over, which 8 s failed
      Effect.timeoutFail({ duration: "25 seconds", onTimeout: () => "hung" as const }),
      Effect.catchAll((e) => Effect.succeed(e)),
    ),
  )
  return { r, ms: Date.now() - started, requests: server.requests() }
}

describe("HerokuApi against a hostile API", () => {
  it("refuses pagination whose Next-Range repeats, after two requests", async () => {
    const { r, requests } = await against("endless", (api) => api.list("/apps", App))
    expect(r).toMatchObject({ _tag: "Left", left: { reason: "Invalid" } })
    expect(String((r as { left?: { message: string } }).left?.message)).toContain(
      "pagination does not advance",
    )
    expect(requests).toBe(2)
  })

  it("refuses a partial page with no items", async () => {
    const { r, requests } = await against("empty", (api) => api.list("/apps", App))
    expect(String((r as { left?: { message: string } }).left?.message)).toContain(
      "a partial page with no items",
    )
    expect(requests).toBe(1)
  })

  it("stops following an ever-advancing list at the page cap", async () => {
    const { r, requests } = await against("growing", (api) => api.list("/apps", App))
    expect(String((r as { left?: { message: string } }).left?.message)).toContain("more than 50 pages")
    expect(requests).toBe(50)
  })

  it("ends a slow-drip body within the request timeout", async () => {
    // the drip never ends: an answer at all, with the timeout's message, is the bound at work
    const { r } = await against("drip", (api) => api.get("/apps/hostile", App))
    expect(r).toMatchObject({ _tag: "Left", left: { reason: "Timeout" } })
    expect(String((r as { left?: { message: string } }).left?.message)).toContain(
      "GET /apps/hostile: no complete answer within 1s",
    )
  })

  it("ends a body reset mid-way with a clear error; a mutating call says the outcome is unknown", async () => {
    const read = await against("reset", (api) => api.get("/apps/hostile", App))
    expect(read.r).toMatchObject({ _tag: "Left", left: { reason: "Unavailable" } })
    expect(String((read.r as { left?: { message: string } }).left?.message)).toContain("GET /apps/hostile")
    await server?.close()
    const write = await against("reset", (api) =>
      api.send("PATCH", "/apps/hostile", { maintenance: true }, App),
    )
    expect(String((write.r as { left?: { message: string } }).left?.message)).toContain(
      "may or may not have been applied",
    )
  })
})
