/**
 * Request coalescing: identical reads in flight at once share one request. The shared work runs on
 * its own fiber, so one caller's interruption does not fail the others, and it is interrupted (its
 * socket aborted) when its last waiter is. `clear()` starts a new generation (after a write, no
 * later read may join one sent before it).
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"

interface Shared<A, E> {
  readonly done: Deferred.Deferred<A, E>
  fiber: Fiber.RuntimeFiber<unknown> | undefined
  waiters: number
}

export const makeCoalescer = <A, E>() => {
  const inflight = new Map<string, Shared<A, E>>()

  const wait = (key: string, shared: Shared<A, E>) =>
    Deferred.await(shared.done).pipe(
      Effect.onInterrupt(() =>
        Effect.suspend(() => {
          shared.waiters--
          if (shared.waiters > 0 || shared.fiber === undefined) return Effect.void
          if (inflight.get(key) === shared) inflight.delete(key)
          return Fiber.interrupt(shared.fiber)
        }),
      ),
    )

  /** Runs `work` for `key`, or joins the run already in flight for it. */
  const run = (key: string, work: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.suspend(() => {
      const joined = inflight.get(key)
      if (joined !== undefined) {
        joined.waiters++
        return wait(key, joined)
      }
      const shared: Shared<A, E> = {
        done: Deferred.unsafeMake<A, E>(FiberId.none),
        fiber: undefined,
        waiters: 1,
      }
      inflight.set(key, shared)
      const once = work.pipe(
        Effect.exit,
        Effect.flatMap((exit) =>
          Effect.sync(() => {
            if (inflight.get(key) === shared) inflight.delete(key)
          }).pipe(Effect.zipRight(Deferred.done(shared.done, exit))),
        ),
      )
      return Effect.forkDaemon(once).pipe(
        Effect.tap((fiber) => {
          shared.fiber = fiber
        }),
        Effect.zipRight(wait(key, shared)),
      )
    })

  const clear = () => inflight.clear()
  return { run, clear }
}
