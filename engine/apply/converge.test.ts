import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import type { ApplyResult } from "../plugin/Plugin.ts"
import { done, pending } from "../plugin/Plugin.ts"
import { commit, type Fake, failWith, makeFake } from "../testing/fakePlugin.ts"
import { planAndConverge, planFor } from "../testing/planAndConverge.ts"
import { defaultPolicy } from "./policy.ts"

/** Runs an effect that sleeps on the virtual clock, moving the clock far enough for it to finish. */
const withTime = <A, E>(effect: Effect.Effect<A, E>, by: Duration.DurationInput = "2 hours") =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(by)
    return yield* Fiber.join(fiber)
  })

const statusOf = (
  summary: { results: ReadonlyArray<{ address: string; status: string }> },
  address: string,
) => summary.results.find((r) => r.address === address)?.status

describe("converge", () => {
  it.effect("runs waves in order whatever the registration order", () =>
    Effect.gen(function* () {
      const log: Array<string> = []
      const formation = makeFake({ name: "formation", wave: "formation", log })
      const app = makeFake({ name: "app", wave: "app", log })
      const config = makeFake({ name: "config", wave: "config", log })
      const summary = yield* planAndConverge([formation, config, app], {
        formation: { values: { web: "2" } },
        app: { values: { name: "nails" } },
        config: { values: { B: "2", A: "1" } },
      })
      expect(log).toEqual(["app/name", "config/A", "config/B", "formation/web"])
      expect(summary.plan.steps.map((s) => s.address)).toEqual([
        "app/name",
        "config/A",
        "config/B",
        "formation/web",
      ])
      expect(summary.converged).toBe(true)
      expect(summary.ok).toBe(true)
    }),
  )

  it.effect("retries a retryable failure, then succeeds", () =>
    Effect.gen(function* () {
      const fake = makeFake({
        name: "config",
        wave: "config",
        onApply: (_c, n) => (n <= 2 ? failWith("Unavailable") : undefined),
      })
      const summary = yield* withTime(planAndConverge([fake], { config: { values: { A: "1" } } }))
      const result = summary.results[0]!
      expect(result.status).toBe("succeeded")
      expect(result.attempts).toBe(3)
      expect(fake.store.get("A")).toBe("1")
      expect(summary.converged).toBe(true)
    }),
  )

  it.effect("does not retry a terminal failure", () =>
    Effect.gen(function* () {
      const fake = makeFake({
        name: "config",
        wave: "config",
        onApply: () => failWith("Invalid", "bad value"),
      })
      const summary = yield* withTime(planAndConverge([fake], { config: { values: { A: "1" } } }))
      const result = summary.results[0]!
      expect(result).toMatchObject({ status: "failed", attempts: 1, reason: "Invalid", message: "bad value" })
      expect(summary.converged).toBe(false)
      expect(summary.ok).toBe(false)
      expect(summary.remaining.map((s) => s.address)).toEqual(["config/A"])
    }),
  )

  it.effect("gives up after policy.retries retries of a retryable failure", () =>
    Effect.gen(function* () {
      const fake = makeFake({ name: "config", wave: "config", onApply: () => failWith("RateLimited") })
      const summary = yield* withTime(
        planAndConverge([fake], { config: { values: { A: "1" } } }, { retries: 3 }),
      )
      expect(summary.results[0]).toMatchObject({ status: "failed", attempts: 4, reason: "RateLimited" })
    }),
  )

  it.effect("times out a hung attempt and retries it", () =>
    Effect.gen(function* () {
      const fake = makeFake({
        name: "config",
        wave: "config",
        onApply: (_c, n) => (n === 1 ? Effect.never : undefined),
      })
      const summary = yield* withTime(
        planAndConverge([fake], { config: { values: { A: "1" } } }, { stepTimeout: defaultPolicy.retryBase }),
      )
      expect(summary.results[0]).toMatchObject({ status: "succeeded", attempts: 2 })
    }),
  )

  it.effect("reports a timeout when no retries are left", () =>
    Effect.gen(function* () {
      const fake = makeFake({ name: "config", wave: "config", onApply: () => Effect.never })
      const summary = yield* withTime(
        planAndConverge([fake], { config: { values: { A: "1" } } }, { retries: 0 }),
      )
      expect(summary.results[0]).toMatchObject({ status: "failed", attempts: 1, reason: "Timeout" })
      expect(summary.results[0]!.message).toContain("no result within 10m")
    }),
  )

  it.effect("polls a Pending step until it is done", () =>
    Effect.gen(function* () {
      let checks = 0
      const fake: Fake = makeFake({
        name: "addons",
        wave: "addons",
        onApply: (change) => {
          const check: Effect.Effect<ApplyResult<never>> = Effect.suspend(() => {
            checks++
            if (checks < 3) return Effect.succeed(pending("provisioning", check))
            return commit(fake, change).pipe(Effect.as<ApplyResult<never>>(done("provisioned")))
          })
          return Effect.succeed(pending("provisioning", check))
        },
      })
      const summary = yield* withTime(planAndConverge([fake], { addons: { values: { pg: "essential-0" } } }))
      expect(checks).toBe(3)
      expect(summary.results[0]).toMatchObject({ status: "succeeded", attempts: 1, message: "provisioned" })
      // three polls, backing off from 100 ms: 100 + 150 + 225
      expect(summary.results[0]!.durationMs).toBeGreaterThanOrEqual(475)
      expect(summary.converged).toBe(true)
    }),
  )

  it.effect("fails a step that stays Pending past its deadline", () =>
    Effect.gen(function* () {
      const forever: Effect.Effect<ApplyResult<never>> = Effect.suspend(() =>
        Effect.succeed(pending("still provisioning", forever)),
      )
      const fake = makeFake({ name: "addons", wave: "addons", onApply: () => forever })
      const summary = yield* withTime(
        planAndConverge([fake], { addons: { values: { pg: "x" } } }, { pendingTimeout: Duration.minutes(1) }),
      )
      expect(summary.results[0]).toMatchObject({ status: "failed", reason: "Timeout" })
      expect(summary.results[0]!.message).toContain("still pending after 1m: still provisioning")
    }),
  )

  it.effect("a failed wave skips later waves and says why", () =>
    Effect.gen(function* () {
      const config = makeFake({
        name: "config",
        wave: "config",
        onApply: () => failWith("Conflict", "locked"),
      })
      const formation = makeFake({ name: "formation", wave: "formation" })
      const summary = yield* withTime(
        planAndConverge([config, formation], {
          config: { values: { A: "1" } },
          formation: { values: { web: "1" } },
        }),
      )
      expect(statusOf(summary, "config/A")).toBe("failed")
      const skipped = summary.results.find((r) => r.address === "formation/web")!
      expect(skipped.status).toBe("skipped")
      expect(skipped.message).toContain("config: config/A")
      expect(formation.store.size).toBe(0)
    }),
  )

  it.effect("a second run plans nothing", () =>
    Effect.gen(function* () {
      const fake = makeFake({ name: "config", wave: "config" })
      const spec = { config: { values: { A: "1", B: "2" } } }
      const first = yield* planAndConverge([fake], spec)
      expect(first.results).toHaveLength(2)
      const again = yield* planFor([fake], spec)
      expect(again.planned).toEqual([])
      const second = yield* planAndConverge([fake], spec)
      expect(second.plan.isEmpty).toBe(true)
      expect(second.results).toEqual([])
      expect(second.ok).toBe(true)
    }),
  )

  it.effect("refuses destructive steps without allowDestroy and applies nothing", () =>
    Effect.gen(function* () {
      const fake = makeFake({ name: "config", wave: "config", store: new Map([["OLD", "x"]]) })
      const spec = { config: { values: { NEW: "1" }, prune: true } }
      const refused = yield* planAndConverge([fake], spec)
      expect(statusOf(refused, "config/OLD")).toBe("refused")
      expect(statusOf(refused, "config/NEW")).toBe("skipped")
      expect(refused.error).toContain("--allow-destroy")
      expect([...fake.store.keys()]).toEqual(["OLD"])
      const allowed = yield* planAndConverge([fake], spec, { allowDestroy: true })
      expect(allowed.ok).toBe(true)
      expect([...fake.store.entries()]).toEqual([["NEW", "1"]])
    }),
  )

  it.effect("reports a run that does not converge, listing what remains", () =>
    Effect.gen(function* () {
      const fake = makeFake({ name: "config", wave: "config", onApply: () => Effect.succeed(done()) })
      const summary = yield* planAndConverge([fake], { config: { values: { A: "1" } } })
      expect(summary.passes).toBe(3)
      expect(summary.converged).toBe(false)
      expect(summary.error).toBe("did not converge after 3 passes; still planned: config/A")
      expect(summary.remaining.map((s) => s.address)).toEqual(["config/A"])
    }),
  )

  it.effect("re-observes a later wave after an earlier wave changed something", () =>
    Effect.gen(function* () {
      const store = new Map<string, string>()
      const app = makeFake({ name: "app", wave: "app", store })
      let observed = 0
      const config = makeFake({
        name: "config",
        wave: "config",
        observe: () => Effect.sync(() => void observed++),
      })
      yield* planAndConverge([app, config], { app: { values: { a: "1" } }, config: { values: { c: "1" } } })
      // plan, re-observation before the config wave, convergence re-plan
      expect(observed).toBe(3)
    }),
  )
})
