import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { defaultPolicy, retrySchedule } from "../apply/policy.ts"
import { failWith, makeFake } from "../testing/fakePlugin.ts"
import { diffAll, observe } from "./planner.ts"

const ctx = { env: "t", spec: { config: { values: {} } }, manifestDir: "m", dryRun: true }

describe("observe", () => {
  it.effect("retries a retryable observation failure on the policy's schedule", () =>
    Effect.gen(function* () {
      let calls = 0
      const fake = makeFake({
        name: "config",
        wave: "config",
        observe: () => (++calls < 3 ? failWith("Unavailable") : Effect.void),
      })
      const fiber = yield* Effect.fork(observe([fake.plugin], ctx, retrySchedule(defaultPolicy)))
      yield* TestClock.adjust("1 minute")
      const observations = yield* Fiber.join(fiber)
      expect(calls).toBe(3)
      expect(observations).toHaveLength(1)
    }),
  )

  it.effect("does not retry a terminal one", () =>
    Effect.gen(function* () {
      let calls = 0
      const fake = makeFake({
        name: "config",
        wave: "config",
        observe: () => {
          calls++
          return failWith("Unauthorized", "token rejected")
        },
      })
      const fiber = yield* Effect.fork(
        Effect.either(observe([fake.plugin], ctx, retrySchedule(defaultPolicy))),
      )
      yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.join(fiber)
      expect(calls).toBe(1)
      expect(result._tag === "Left" && result.left.reason).toBe("Unauthorized")
    }),
  )
})

describe("diffAll", () => {
  it("marks delete and replace destructive even when the plugin does not", () => {
    const fake = makeFake({ name: "config", wave: "config" })
    const quiet = {
      ...fake.plugin,
      diff: () => [
        { key: "gone", action: "delete" as const, reason: "absent", change: { key: "gone" } },
        { key: "swap", action: "replace" as const, reason: "differs", change: { key: "swap" } },
        { key: "kept", action: "update" as const, reason: "differs", change: { key: "kept", value: "v" } },
      ],
    }
    const steps = diffAll([{ plugin: quiet, desired: {}, live: new Map() }], ctx, "k").planned.map(
      (p) => p.step,
    )
    expect(Object.fromEntries(steps.map((s) => [s.address, s.destructive]))).toEqual({
      "config/gone": true,
      "config/swap": true,
      "config/kept": false,
    })
  })
})
