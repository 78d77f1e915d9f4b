/** The shared rate budget: spends one token a request, refills continuously, respects Heroku's own count. */
import { it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { expect } from "vitest"
import { herokuReserve, makeBudget } from "./budget.ts"

it.effect("a budget of N an hour allows N requests at once, then one more per 3600/N seconds", () =>
  Effect.gen(function* () {
    const budget = yield* makeBudget(360)
    const taken = yield* Effect.all(Array.from({ length: 361 }, () => budget.take))
    expect(taken.filter(Boolean)).toHaveLength(360)
    expect(yield* budget.take).toBe(false)
    yield* TestClock.adjust("9 seconds")
    expect(yield* budget.take).toBe(false)
    yield* TestClock.adjust("1 second")
    expect(yield* budget.take).toBe(true)
    expect(yield* budget.snapshot).toEqual({ perHour: 360, remaining: 0, spent: 361, herokuRemaining: null })
    yield* TestClock.adjust("2 hours")
    expect((yield* budget.snapshot).remaining).toBe(360)
  }),
)

it.effect("stops asking when Heroku says the account is nearly out", () =>
  Effect.gen(function* () {
    const budget = yield* makeBudget(1000)
    yield* budget.sawHeroku(herokuReserve)
    expect(yield* budget.take).toBe(false)
    yield* budget.sawHeroku(herokuReserve + 1)
    expect(yield* budget.take).toBe(true)
    expect((yield* budget.snapshot).herokuRemaining).toBe(herokuReserve + 1)
  }),
)
