import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Simulator } from "../../sim/index.ts"
import { herokuLayer, startSim } from "../../test/support/heroku.ts"
import { checkBaseUrl, herokuConfigFrom } from "./config.ts"
import { HerokuApi } from "./HerokuApi.ts"

const App = Schema.Struct({ id: Schema.String, name: Schema.String })

let sim: Simulator
beforeAll(async () => {
  sim = await startSim()
})
afterAll(() => sim.close())

const run = <A, E>(effect: Effect.Effect<A, E, HerokuApi>, token?: string) =>
  Effect.runPromise(Effect.either(effect.pipe(Effect.provide(herokuLayer(sim, token)))))

describe("HerokuApi against the simulator", () => {
  it("lists every item across pages, with an explicit Range on every request", async () => {
    await run(
      Effect.flatMap(HerokuApi, (api) =>
        Effect.forEach(
          Array.from({ length: 25 }, (_, i) => `list-app-${String(i).padStart(2, "0")}`),
          (name) => api.send("POST", "/apps", { name }, App),
        ),
      ),
    )
    sim.resetObservations()
    const apps = await run(
      Effect.flatMap(HerokuApi, (api) => api.list("/apps", App, { field: "name", max: 10 })),
    )
    expect(apps._tag).toBe("Right")
    const names = apps._tag === "Right" ? apps.right.map((a) => a.name) : []
    expect(names.filter((n) => n.startsWith("list-app-"))).toHaveLength(25)
    expect(new Set(names).size).toBe(names.length)
    const log = sim.requestLog()
    expect(log.map((r) => r.status)).toEqual([206, 206, 200])
  })

  it("finds a missing resource as None, not an error", async () => {
    const r = await run(Effect.flatMap(HerokuApi, (api) => api.find("/apps/no-such-app", App)))
    expect(r._tag === "Right" && Option.isNone(r.right)).toBe(true)
  })

  it("maps statuses to reasons with the API's own message", async () => {
    const unauthorized = await run(
      Effect.flatMap(HerokuApi, (api) => api.get("/account", Schema.Unknown)),
      "wrong",
    )
    expect(unauthorized._tag === "Left" && unauthorized.left.reason).toBe("Unauthorized")
    const invalid = await run(
      Effect.flatMap(HerokuApi, (api) => api.send("POST", "/apps", { name: "Bad Name!" }, App)),
    )
    expect(invalid._tag === "Left" && invalid.left.reason).toBe("Invalid")
    expect(invalid._tag === "Left" && invalid.left.detail).toContain("422 invalid_params")
  })

  it("reports a lost answer to a mutating request as an unknown outcome", async () => {
    sim.setFaults({ commitThenDrop: [{ route: "POST /apps", rate: 1 }] })
    const r = await run(
      Effect.flatMap(HerokuApi, (api) => api.send("POST", "/apps", { name: "dropped-app" }, App)),
    )
    sim.setFaults({})
    expect(r._tag === "Left" && r.left.reason).toBe("Unavailable")
    expect(r._tag === "Left" && r.left.detail).toContain("may or may not have been applied")
    const landed = await run(Effect.flatMap(HerokuApi, (api) => api.find("/apps/dropped-app", App)))
    expect(landed._tag === "Right" && Option.isSome(landed.right)).toBe(true)
  })
})

describe("interruption", () => {
  it("an Effect timeout aborts the request instead of waiting for the answer", async () => {
    sim.setFaults({ latencyMs: 5000 })
    const logged = sim.requestLog().length
    const r = await run(
      Effect.flatMap(HerokuApi, (api) => api.get("/account", Schema.Unknown)).pipe(
        Effect.timeout("200 millis"),
      ),
    )
    // the simulator logs a request when it answers, after its 5 s latency: none logged yet means
    // the call gave up without waiting for the answer (no clock read here)
    const answered = sim
      .requestLog()
      .slice(logged)
      .filter((e) => e.path === "/account")
    sim.setFaults({})
    expect(r._tag).toBe("Left")
    expect(answered).toEqual([])
  })
})

describe("configuration", () => {
  it("accepts https anywhere and http only on loopback", () => {
    expect(checkBaseUrl("https://api.heroku.com/")).toBe("https://api.heroku.com")
    expect(checkBaseUrl("http://127.0.0.1:5000")).toBe("http://127.0.0.1:5000")
    expect(checkBaseUrl("http://localhost:5000")).toBe("http://localhost:5000")
    expect(String(checkBaseUrl("http://api.example.com"))).toContain("must use https")
  })

  it("a missing token is one clear, terminal error", () => {
    const r = herokuConfigFrom({})
    expect(r).toMatchObject({ reason: "Unauthorized" })
    expect(String((r as { detail: string }).detail)).toContain("HEROKU_API_KEY is not set")
  })
})
