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
 * The pacer: one slot per request across every fiber of a client, spaced by the gap for the last
 * RateLimit-Remaining seen, so concurrent requests queue behind each other instead of all going at once.
 */
export const makePacer = (remaining: Ref.Ref<number>) =>
  Effect.map(Ref.make(0), (nextSlot) =>
    Effect.gen(function* () {
      const gap = paceGapMs(yield* Ref.get(remaining))
      if (gap === 0) return
      const now = yield* Clock.currentTimeMillis
      const at = yield* Ref.modify(nextSlot, (next): [number, number] => {
        const slot = Math.max(now, next)
        return [slot, slot + gap]
      })
      if (at > now) yield* Effect.sleep(Duration.millis(at - now))
    }),
  )
