/**
 * Pacing against Heroku's account budget: every response says how many calls are left
 * (RateLimit-Remaining); the client spaces its own requests further apart as that number falls, so
 * several runners sharing one account slow down together instead of running into 429s.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"

/** Requests slow down below this many remaining calls: half of Heroku's budget of 4500. */
export const paceBelow = 2250
/** Heroku refills one call every 800 ms (75 a minute). */
const refillGapMs = 800
const maxGapMs = 30_000

/**
 * The least gap between two requests of one client when `left` calls remain: none above `paceBelow`,
 * then growing as ((paceBelow - left) / left)² refill intervals. N clients sharing one account settle
 * where their combined rate equals the refill, at paceBelow / (1 + √N) left: never at zero, never a 429.
 */
export const paceGapMs = (left: number): number =>
  left >= paceBelow
    ? 0
    : Math.min(maxGapMs, Math.round(refillGapMs * ((paceBelow - left) / Math.max(left, 1)) ** 2))

/** A `Retry-After` header (seconds, or an HTTP date) in milliseconds from now. */
export const retryAfterMs = (header: string | undefined, now = Date.now()): number | undefined => {
  if (header === undefined || header.trim() === "") return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * The pacer: each request leaves at least the gap for the last RateLimit-Remaining seen after the
 * request before it. Paced requests take their turn one at a time and read the gap again after every
 * wait, so a budget that fell while they queued lengthens their gap, and timers that fire late
 * together (a busy event loop) still let them out one gap apart, never in a burst.
 */
export const makePacer = (remaining: Ref.Ref<number>) =>
  Effect.gen(function* () {
    // when the last request of this client left, paced or not: the next gap counts from there
    const lastSent = yield* Ref.make(Number.NEGATIVE_INFINITY)
    const turn = yield* Effect.makeSemaphore(1)
    const leave = (now: number) => Ref.set(lastSent, now)
    const waitForGap = Effect.gen(function* () {
      while (true) {
        const gap = paceGapMs(yield* Ref.get(remaining))
        const now = yield* Clock.currentTimeMillis
        const wait = (yield* Ref.get(lastSent)) + gap - now
        if (wait <= 0) return yield* leave(now)
        yield* Effect.sleep(Duration.millis(wait))
      }
    })
    return Effect.flatMap(Ref.get(remaining), (left) =>
      paceGapMs(left) === 0
        ? Effect.flatMap(Clock.currentTimeMillis, leave)
        : turn.withPermits(1)(waitForGap),
    )
  })
