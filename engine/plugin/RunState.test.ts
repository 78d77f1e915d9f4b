import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { describe, expect, it } from "vitest"
import { makeRunState, runKey } from "./RunState.ts"

const key = runKey<number>("test.value")

const counting = () => {
  let calls = 0
  const make = Effect.sync(() => ++calls)
  return { make, calls: () => calls }
}

describe("RunState.memo and resource", () => {
  it("computes a value once per part, and again after release", async () => {
    const scope = Effect.runSync(Scope.make())
    const state = makeRunState(scope)
    const { make, calls } = counting()
    const values = await Effect.runPromise(
      Effect.all([state.memo(key, "a", make), state.memo(key, "a", make), state.memo(key, "b", make)]),
    )
    expect(values).toEqual([1, 1, 2])
    await Effect.runPromise(state.release(key, "a"))
    expect(await Effect.runPromise(state.memo(key, "a", make))).toBe(3)
    expect(calls()).toBe(3)
  })

  it("does not remember a failure", async () => {
    const state = makeRunState(Effect.runSync(Scope.make()))
    let calls = 0
    const flaky = Effect.suspend(() => (++calls === 1 ? Effect.fail("first") : Effect.succeed(calls)))
    const first = await Effect.runPromiseExit(state.memo(key, "", flaky))
    expect(Exit.isFailure(first)).toBe(true)
    expect(await Effect.runPromise(state.memo(key, "", flaky))).toBe(2)
    expect(await Effect.runPromise(state.memo(key, "", flaky))).toBe(2)
  })

  it("shares one computation between concurrent callers", async () => {
    const state = makeRunState(Effect.runSync(Scope.make()))
    let calls = 0
    const slow = Effect.zipRight(
      Effect.sleep("20 millis"),
      Effect.sync(() => ++calls),
    )
    const values = await Effect.runPromise(
      Effect.all([state.memo(key, "", slow), state.memo(key, "", slow)], { concurrency: 2 }),
    )
    expect(values).toEqual([1, 1])
    expect(calls).toBe(1)
  })

  it("a value released while it was computed is computed again by the next caller", async () => {
    const state = makeRunState(Effect.runSync(Scope.make()))
    let calls = 0
    const slow = Effect.zipRight(
      Effect.sleep("20 millis"),
      Effect.sync(() => ++calls),
    )
    const program = Effect.gen(function* () {
      const first = yield* Effect.fork(state.memo(key, "", slow))
      yield* Effect.sleep("5 millis")
      yield* state.release(key)
      const a = yield* first.await
      const b = yield* state.memo(key, "", slow)
      return [a, b] as const
    })
    const [a, b] = await Effect.runPromise(program)
    expect(a).toEqual(Exit.succeed(1))
    expect(b).toBe(2)
  })

  it("closes a resource on release and opens it again for the next caller", async () => {
    const scope = Effect.runSync(Scope.make())
    const state = makeRunState(scope)
    const log: Array<string> = []
    let opened = 0
    const acquire = Effect.acquireRelease(
      Effect.sync(() => {
        opened++
        log.push(`open ${opened}`)
        return opened
      }),
      (n) => Effect.sync(() => log.push(`close ${n}`)),
    )
    const values = await Effect.runPromise(
      Effect.gen(function* () {
        const a = yield* state.resource(key, "", acquire)
        const b = yield* state.resource(key, "", acquire)
        yield* state.release(key)
        const c = yield* state.resource(key, "", acquire)
        return [a, b, c]
      }),
    )
    expect(values).toEqual([1, 1, 2])
    await Effect.runPromise(Scope.close(scope, Exit.void))
    expect(log).toEqual(["open 1", "close 1", "open 2", "close 2"])
  })
})
