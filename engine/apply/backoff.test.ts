/** Polls of pending work start short and back off; a server's Retry-After holds the next attempt back. */
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { PluginError } from "../errors.ts"
import type { ApplyResult } from "../plugin/Plugin.ts"
import { done, pending } from "../plugin/Plugin.ts"
import { commit, type Fake, type FakeSpec, makeFake } from "../testing/fakePlugin.ts"
import { planAndConverge } from "../testing/planAndConverge.ts"
import { defaultPolicy, pollDelay } from "./policy.ts"

const spec: Record<string, FakeSpec> = { addons: { values: { pg: "essential-0" } } }

/** Moves the virtual clock in small steps, so that each poll's next wait is scheduled before it is due. */
const advance = (ms: number, step: number) =>
  Effect.forEach(Array.from({ length: Math.ceil(ms / step) }), () => TestClock.adjust(step), {
    discard: true,
  })

/** Forks the whole flow for `fake`; the caller moves the virtual clock. */
const start = (fake: Fake) => Effect.fork(planAndConverge([fake], spec))

describe("polling pending work", () => {
  it("waits 100 ms first, 1.5x longer each time, at most the poll interval", () => {
    const waits = Array.from({ length: 12 }, (_, n) => Duration.toMillis(pollDelay(defaultPolicy, n)))
    expect(waits.slice(0, 4)).toEqual([100, 150, 225, 338])
    expect(waits.at(-1)).toBe(2000)
    for (const [i, w] of waits.entries()) if (i > 0) expect(w).toBeGreaterThanOrEqual(waits[i - 1]!)
  })

  it.effect(
    "sees quick work done within a second, and polls slow work less and less often",
    () =>
      Effect.gen(function* () {
        let checks = 0
        const fake: Fake = makeFake({
          name: "addons",
          wave: "addons",
          onApply: (change) => {
            const check: Effect.Effect<ApplyResult<never>> = Effect.suspend(() => {
              checks++
              return checks < 200
                ? Effect.succeed(pending("provisioning", check))
                : commit(fake, change).pipe(Effect.as<ApplyResult<never>>(done("provisioned")))
            })
            return Effect.succeed(pending("provisioning", check))
          },
        })
        const fiber = yield* start(fake)
        yield* advance(1000, 25)
        // 100 + 150 + 225 + 338 ms: four polls in the first second (a fixed 2 s interval made none)
        expect(checks).toBe(4)
        yield* advance(59_000, 1000)
        const firstMinute = checks
        yield* advance(60_000, 1000)
        // capped at one poll every 2 s: about 30 in the second minute, never more
        expect(checks - firstMinute).toBeLessThanOrEqual(30)
        expect(checks - firstMinute).toBeGreaterThanOrEqual(29)
        yield* TestClock.adjust("1 hour")
        const summary = yield* Fiber.join(fiber)
        expect(summary.results[0]).toMatchObject({ status: "succeeded", message: "provisioned" })
      }),
    // only virtual time passes, but a loaded machine may take a while over some 140 clock moves
    60_000,
  )

  it.effect("honours a hint the plugin read from the server as given", () =>
    Effect.gen(function* () {
      let checks = 0
      const fake: Fake = makeFake({
        name: "addons",
        wave: "addons",
        onApply: (change) => {
          const check = Effect.suspend(() => {
            checks++
            return commit(fake, change).pipe(Effect.as<ApplyResult<never>>(done("provisioned")))
          })
          return Effect.succeed(pending("provisioning", check, "5 seconds"))
        },
      })
      const fiber = yield* start(fake)
      yield* TestClock.adjust("4999 millis")
      expect(checks).toBe(0)
      yield* TestClock.adjust("1 millis")
      expect(checks).toBe(1)
      yield* TestClock.adjust("1 hour")
      yield* Fiber.join(fiber)
    }),
  )
})

describe("Retry-After", () => {
  it.effect("the next attempt waits at least as long as the server asked", () =>
    Effect.gen(function* () {
      const fake: Fake = makeFake({
        name: "addons",
        wave: "addons",
        onApply: (_change, attempt) =>
          attempt === 1
            ? Effect.fail(new PluginError({ reason: "RateLimited", detail: "429", retryAfterMs: 30_000 }))
            : undefined,
      })
      const fiber = yield* start(fake)
      // the named schedule alone would have retried after about 250 ms
      yield* TestClock.adjust("29 seconds")
      expect(fake.attempts.get("pg")).toBe(1)
      yield* TestClock.adjust("2 seconds")
      expect(fake.attempts.get("pg")).toBe(2)
      yield* TestClock.adjust("1 hour")
      const summary = yield* Fiber.join(fiber)
      expect(summary.results[0]).toMatchObject({ status: "succeeded", attempts: 2 })
    }),
  )
})
