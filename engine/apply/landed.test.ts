/**
 * A lost answer is read before it is resent: after an attempt that may have hidden a landed write
 * (Timeout, Unavailable), the executor asks the plugin's `landed` and never sends again what it finds.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { ErrorReason } from "../errors.ts"
import { type ApplyResult, done, pending } from "../plugin/Plugin.ts"
import {
  commit,
  type Fake,
  type FakeChange,
  type FakeSpec,
  failWith,
  makeFake,
} from "../testing/fakePlugin.ts"
import { planAndConverge } from "../testing/planAndConverge.ts"

const spec: Record<string, FakeSpec> = { addons: { values: { pg: "essential-0" } } }
const quick = { retryBase: Duration.millis(1), retryCap: Duration.millis(2) }

/** A fake whose first attempt fails with `reason`, after writing when `writes`; `landed` reads its store. */
const lossy = (reason: ErrorReason, writes: boolean, landedAs?: (c: FakeChange) => ApplyResult<never>) => {
  const checks: Array<number> = []
  const fake: Fake = makeFake({
    name: "addons",
    wave: "addons",
    onApply: (change, n) =>
      n > 1
        ? undefined
        : (writes ? commit(fake, change) : Effect.void).pipe(Effect.zipRight(failWith(reason))),
    landed: (change) =>
      Effect.sync(() => {
        checks.push(fake.attempts.get(change.key) ?? 0)
        return fake.store.get(change.key) === change.value
          ? Option.some(landedAs?.(change) ?? done(`${change.key} is ${change.value}`))
          : Option.none()
      }),
  })
  return { fake, checks }
}

describe("a retry after a lost answer", () => {
  it.live("reads first and does not resend a write that landed (Unavailable: the answer was dropped)", () =>
    Effect.gen(function* () {
      const { fake, checks } = lossy("Unavailable", true)
      const summary = yield* planAndConverge([fake], spec, quick)
      expect(fake.log).toEqual(["addons/pg"])
      expect(fake.attempts.get("pg")).toBe(1)
      expect(checks).toEqual([1])
      expect(summary.results[0]).toMatchObject({
        status: "succeeded",
        attempts: 1,
        message: "found applied after a lost answer, not sent again: pg is essential-0",
      })
      expect(summary.converged).toBe(true)
    }),
  )

  it.live("after a timeout too, and polls a Pending the check returns", () =>
    Effect.gen(function* () {
      const { fake } = lossy("Timeout", true, () =>
        pending("provisioning", Effect.succeed<ApplyResult<never>>(done("provisioned"))),
      )
      const summary = yield* planAndConverge([fake], spec, quick)
      expect(fake.attempts.get("pg")).toBe(1)
      expect(summary.results[0]).toMatchObject({
        status: "succeeded",
        attempts: 1,
        message: "found applied after a lost answer, not sent again: provisioned",
      })
    }),
  )

  it.live("resends when the write did not land, and counts both attempts", () =>
    Effect.gen(function* () {
      const { fake, checks } = lossy("Unavailable", false)
      const summary = yield* planAndConverge([fake], spec, quick)
      expect(checks).toEqual([1])
      expect(fake.log).toEqual(["addons/pg"])
      expect(summary.results[0]).toMatchObject({ status: "succeeded", attempts: 2 })
      expect(summary.results[0]?.message).toBeUndefined()
    }),
  )

  it.live("is not read after a refusal (429), nor on a first attempt that succeeds", () =>
    Effect.gen(function* () {
      const refused = lossy("RateLimited", false)
      const summary = yield* planAndConverge([refused.fake], spec, quick)
      expect(refused.checks).toEqual([])
      expect(summary.results[0]).toMatchObject({ status: "succeeded", attempts: 2 })
      let reads = 0
      const plain = makeFake({
        name: "addons",
        wave: "addons",
        landed: () => Effect.sync(() => ++reads).pipe(Effect.as(Option.none())),
      })
      const once = yield* planAndConverge([plain], spec, quick)
      expect(reads).toBe(0)
      expect(once.results[0]).toMatchObject({ status: "succeeded", attempts: 1 })
    }),
  )

  it.live("keeps reading before each resend while the reads themselves fail", () =>
    Effect.gen(function* () {
      let reads = 0
      const fake: Fake = makeFake({
        name: "addons",
        wave: "addons",
        onApply: (change, n) =>
          n > 1 ? undefined : commit(fake, change).pipe(Effect.zipRight(failWith("Timeout"))),
        landed: (change) =>
          ++reads < 3
            ? failWith("Unavailable")
            : Effect.succeed(fake.store.has(change.key) ? Option.some(done()) : Option.none()),
      })
      const summary = yield* planAndConverge([fake], spec, quick)
      expect(reads).toBe(3)
      expect(fake.attempts.get("pg")).toBe(1)
      expect(summary.results[0]).toMatchObject({
        status: "succeeded",
        attempts: 1,
        message: "found applied after a lost answer, not sent again",
      })
    }),
  )
})
