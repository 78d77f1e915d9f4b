/**
 * The pacer on a hand-driven clock: each request leaves at least the gap for the budget last seen
 * after the one before it, whether the budget fell while it queued or the timers fired late (a busy
 * event loop). No real time passes: the clock moves only when the test moves it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import { makePacer, paceGapMs } from "./pace.ts"

interface Sleeper {
  readonly at: number
  readonly wake: () => void
}

/** A clock whose time moves only by `moveTo`; sleepers wake when it passes their time. */
const handClock = () => {
  let now = 0
  const sleepers = new Set<Sleeper>()
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: (duration) =>
      Effect.async<void>((resume) => {
        const sleeper = { at: now + Duration.toMillis(duration), wake: () => resume(Effect.void) }
        sleepers.add(sleeper)
        return Effect.sync(() => void sleepers.delete(sleeper))
      }),
  }
  // lets every fiber that can run do so (no real time passes: only the scheduler's queue drains)
  const settle = Effect.repeatN(Effect.yieldNow(), 200)
  /** Moves to `at` and wakes, all at that time, every sleeper due by then (late, if `at` is past them). */
  const moveTo = (at: number) =>
    Effect.gen(function* () {
      now = at
      for (const s of [...sleepers].filter((s) => s.at <= at).sort((a, b) => a.at - b.at)) {
        sleepers.delete(s)
        s.wake()
      }
      yield* settle
    })
  /** Wakes each sleeper on time, one after another, until no one sleeps (at most `steps` times). */
  const runOnTime = (steps: number) =>
    Effect.gen(function* () {
      yield* settle
      for (let i = 0; i < steps && sleepers.size > 0; i++)
        yield* moveTo(Math.min(...[...sleepers].map((s) => s.at)))
    })
  return { clock, moveTo, runOnTime, settle }
}

/**
 * `n` concurrent requests through one pacer: each records when it left and the budget it saw then,
 * and its answer sets the budget to `answer(i)` (the i-th request to leave).
 */
const fleet = (start: number, n: number, answer: (i: number) => number) =>
  Effect.gen(function* () {
    const remaining = yield* Ref.make(start)
    const pace = yield* makePacer(remaining)
    const sent: Array<{ readonly at: number; readonly left: number }> = []
    const request = Effect.gen(function* () {
      yield* pace
      sent.push({ at: yield* Clock.currentTimeMillis, left: yield* Ref.get(remaining) })
      yield* Ref.set(remaining, answer(sent.length - 1))
    })
    const fiber = yield* Effect.fork(
      Effect.all(
        Array.from({ length: n }, () => request),
        { concurrency: n },
      ),
    )
    return { sent, fiber }
  })

/** The gaps between consecutive requests, each beside the least its budget allowed. */
const gaps = (sent: ReadonlyArray<{ readonly at: number; readonly left: number }>) =>
  sent.slice(1).map((s, i) => ({ gap: s.at - sent[i]!.at, least: paceGapMs(s.left) }))

describe("the pacer spaces each request by the budget it last saw", () => {
  it.effect("requests queued while the budget was higher wait the longer gap once it falls", () => {
    const hand = handClock()
    return Effect.gen(function* () {
      // 2000 left (13 ms apart); the first answer says 1500 left (200 ms apart)
      const { sent, fiber } = yield* fleet(2000, 4, () => 1500)
      yield* hand.runOnTime(50)
      yield* Fiber.join(fiber)
      expect(sent).toHaveLength(4)
      expect(paceGapMs(1500)).toBe(200)
      for (const { gap, least } of gaps(sent)) expect(gap).toBeGreaterThanOrEqual(least)
    }).pipe(Effect.withClock(hand.clock))
  })

  it.effect("requests whose timers fire late together still leave one gap apart", () => {
    const hand = handClock()
    return Effect.gen(function* () {
      const { sent, fiber } = yield* fleet(1500, 4, () => 1500)
      yield* hand.settle
      expect(sent.map((s) => s.at)).toEqual([0])
      // the event loop was busy for a second: every timer due by then fires at once
      yield* hand.moveTo(1000)
      yield* hand.runOnTime(50)
      yield* Fiber.join(fiber)
      expect(sent).toHaveLength(4)
      for (const { gap, least } of gaps(sent)) expect(gap).toBeGreaterThanOrEqual(least)
      expect(sent.map((s) => s.at)).toEqual([0, 1000, 1200, 1400])
    }).pipe(Effect.withClock(hand.clock))
  })

  it.effect("no wait while the budget is above the pacing point", () => {
    const hand = handClock()
    return Effect.gen(function* () {
      const { sent, fiber } = yield* fleet(4000, 5, () => 3999)
      yield* hand.settle
      yield* Fiber.join(fiber)
      expect(sent.map((s) => s.at)).toEqual([0, 0, 0, 0, 0])
    }).pipe(Effect.withClock(hand.clock))
  })
})
