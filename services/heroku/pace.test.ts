/** The client paces itself from RateLimit-Remaining and carries a server's Retry-After to the executor. */

import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import type { Simulator } from "../../sim/index.ts"
import { herokuLayer, simToken, startSim } from "../../test/support/heroku.ts"
import { HerokuApi, layer } from "./HerokuApi.ts"
import { paceBelow, paceGapMs, retryAfterMs } from "./pace.ts"

const realSleep = (ms: number) => Effect.promise(() => new Promise((r) => setTimeout(r, ms)))

/** Waits (in real time, generously) until the simulator has logged `n` requests. */
const untilLogged = (sim: Simulator, n: number) =>
  Effect.gen(function* () {
    for (let i = 0; i < 600 && sim.requestLog().length < n; i++) yield* realSleep(50)
    return sim.requestLog().length
  })

describe("pacing rules", () => {
  it("no gap above half the budget, a longer gap the fewer calls remain", () => {
    expect(paceGapMs(4500)).toBe(0)
    expect(paceGapMs(paceBelow)).toBe(0)
    const gaps = [2100, 2000, 1500, 1000, 500, 300].map(paceGapMs)
    for (const [i, g] of gaps.entries()) if (i > 0) expect(g).toBeGreaterThan(gaps[i - 1]!)
    expect(gaps[0]).toBeGreaterThan(0)
    expect(paceGapMs(0)).toBe(30_000)
  })
  it("four runners settle where together they spend what the account refills (75 a minute)", () => {
    const left = paceBelow / (1 + Math.sqrt(4))
    expect((4 * 60_000) / paceGapMs(left)).toBeCloseTo(75, 0)
  })
  it("reads Retry-After as seconds or as a date", () => {
    expect(retryAfterMs("7")).toBe(7000)
    expect(retryAfterMs(new Date(1_000_000 + 3000).toUTCString(), 1_000_000)).toBe(3000)
    expect(retryAfterMs(undefined)).toBeUndefined()
    expect(retryAfterMs("soon")).toBeUndefined()
  })
})

describe("HerokuApi against a simulator whose budget runs low", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSim({ rateLimit: { capacity: 1000, refillPerMinute: 0 } })
  })
  afterAll(() => sim.close())

  it.effect(
    "spaces concurrent requests one gap apart once RateLimit-Remaining is low",
    () =>
      Effect.gen(function* () {
        sim.resetObservations()
        const api = yield* HerokuApi
        // distinct paths: identical GETs in flight at once would share one request
        const get = (app: string) => api.find(`/apps/${app}`, Schema.Unknown)
        yield* get("pace-0") // answers RateLimit-Remaining: 999
        // one step of the clock: at least the gap for any budget these answers say (999 down to 996),
        // less than two of them
        const gap = paceGapMs(990)
        expect(gap).toBeLessThan(2 * paceGapMs(999))
        const fiber = yield* Effect.fork(
          Effect.all([get("pace-1"), get("pace-2"), get("pace-3")], { concurrency: "unbounded" }),
        )
        // each of the three waits one gap after the request before it, on the (virtual) clock
        yield* realSleep(300)
        expect(sim.requestLog()).toHaveLength(1)
        yield* TestClock.adjust(gap)
        expect(yield* untilLogged(sim, 2)).toBe(2)
        yield* realSleep(100)
        expect(sim.requestLog()).toHaveLength(2)
        yield* TestClock.adjust(gap)
        expect(yield* untilLogged(sim, 3)).toBe(3)
        yield* realSleep(100)
        expect(sim.requestLog()).toHaveLength(3)
        yield* TestClock.adjust(gap)
        expect(yield* untilLogged(sim, 4)).toBe(4)
        yield* Fiber.join(fiber)
      }).pipe(Effect.provide(herokuLayer(sim))),
    60_000,
  )

  it.effect(
    "a request waiting its turn is not timed out: its timeout starts when it is sent",
    () =>
      Effect.gen(function* () {
        sim.resetObservations()
        const api = yield* HerokuApi
        yield* api.find("/apps/turn-0", Schema.Unknown) // under 1000 left: about 1.3 s apart
        const gap = paceGapMs(990)
        expect(gap).toBeGreaterThan(1000)
        const fiber = yield* Effect.fork(api.find("/apps/turn-1", Schema.Unknown))
        yield* realSleep(300)
        expect(sim.requestLog()).toHaveLength(1)
        // past the 1 s timeout while it waits for its turn, then its turn comes
        yield* TestClock.adjust(gap)
        const exit = yield* Fiber.await(fiber)
        expect(Exit.isSuccess(exit)).toBe(true)
        expect(sim.requestLog()).toHaveLength(2)
      }).pipe(
        Effect.provide(
          layer({ baseUrl: sim.url, token: simToken, requestTimeout: "1 second" }).pipe(
            Layer.provide(NodeHttpClient.layer),
          ),
        ),
      ),
    60_000,
  )
})

describe("HerokuApi and Retry-After", () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSim({
      faults: { errors: [{ route: "GET /account", rate: 1, status: 503, retryAfterSeconds: 7 }] },
    })
  })
  afterAll(() => sim.close())

  it.effect("a 503 with Retry-After fails with the wait the server asked for", () =>
    Effect.gen(function* () {
      const api = yield* HerokuApi
      const error = yield* Effect.flip(api.get("/account", Schema.Unknown))
      expect(error.reason).toBe("Unavailable")
      expect(error.retryAfterMs).toBe(7000)
      expect(sim.requestLog().filter((e) => e.status === 503)).toHaveLength(1)
    }).pipe(Effect.provide(herokuLayer(sim))),
  )
})
