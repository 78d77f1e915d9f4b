import { describe, expect, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { makeCoalescer } from "./coalesce.ts"

describe("coalescer", () => {
  it.effect("identical reads in flight share one run; a later read after clear() runs again", () =>
    Effect.gen(function* () {
      const c = makeCoalescer<number, never>()
      let runs = 0
      const gate = yield* Deferred.make<void>()
      const work = Effect.sync(() => ++runs).pipe(Effect.zipLeft(Deferred.await(gate)))
      const a = yield* Effect.fork(c.run("k", work))
      const b = yield* Effect.fork(c.run("k", work))
      yield* Effect.yieldNow()
      yield* Deferred.succeed(gate, undefined)
      expect([yield* Fiber.join(a), yield* Fiber.join(b)]).toEqual([1, 1])
      expect(runs).toBe(1)
      c.clear()
      expect(
        yield* c.run(
          "k",
          Effect.sync(() => ++runs),
        ),
      ).toBe(2)
    }),
  )

  it.effect("one waiter's interruption leaves the others; the last one's interrupts the work", () =>
    Effect.gen(function* () {
      const c = makeCoalescer<string, never>()
      let interrupted = false
      const work = Effect.never.pipe(
        Effect.onInterrupt(() =>
          Effect.sync(() => {
            interrupted = true
          }),
        ),
      )
      const a = yield* Effect.fork(c.run("k", work))
      const b = yield* Effect.fork(c.run("k", work))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(a)
      expect(interrupted).toBe(false)
      yield* Fiber.interrupt(b)
      yield* Effect.yieldNow()
      expect(interrupted).toBe(true)
    }),
  )
})
