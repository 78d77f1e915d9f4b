import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { plan as planEnv } from "../plan/planEnv.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import { done } from "../plugin/Plugin.ts"
import { type FakeChange, type FakeSpec, failWith, makeFake } from "../testing/fakePlugin.ts"
import { converge } from "./converge.ts"
import { defaultPolicy } from "./policy.ts"

const run = (plugin: AnyPlugin<never>, spec: Record<string, FakeSpec>) =>
  Effect.gen(function* () {
    const ctx: RunContext = { env: "test", spec, manifestDir: "m", dryRun: false }
    const { plan, planned } = yield* planEnv({
      plugins: [plugin],
      ctx,
      fingerprintKey: "k",
      manifest: { file: "m.yaml", digest: "d" },
    })
    const fiber = yield* Effect.fork(
      converge({ plugins: [plugin], plan, planned, ctx, policy: defaultPolicy, fingerprintKey: "k" }),
    )
    yield* TestClock.adjust("1 hour")
    return yield* Fiber.join(fiber)
  })

const spec = { migrations: { values: { m1: "1", m2: "1", m3: "1" } } }

describe("an ordered wave", () => {
  it.effect("applies one step at a time in plan order, however slow the earlier one is", () =>
    Effect.gen(function* () {
      const started: Array<string> = []
      const store = new Map<string, string>()
      const fake = makeFake({
        name: "migrations",
        wave: "migrations",
        store,
        onApply: (c: FakeChange) =>
          Effect.sync(() => started.push(`start ${c.key}`)).pipe(
            Effect.zipRight(Effect.sleep(c.key === "m1" ? "10 seconds" : "1 second")),
            Effect.zipRight(
              Effect.sync(() => started.push(`end ${c.key}`) && store.set(c.key, c.value ?? "")),
            ),
            Effect.as(done()),
          ),
      })
      const summary = yield* run({ ...fake.plugin, ordered: true }, spec)
      expect(started).toEqual(["start m1", "end m1", "start m2", "end m2", "start m3", "end m3"])
      expect(summary.results.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"])
    }),
  )

  it.effect("stops at the first failure and skips the rest, saying why", () =>
    Effect.gen(function* () {
      const fake = makeFake({
        name: "migrations",
        wave: "migrations",
        onApply: (c: FakeChange) => (c.key === "m2" ? failWith("Invalid", "syntax error") : undefined),
      })
      const summary = yield* run({ ...fake.plugin, ordered: true }, spec)
      expect(summary.results.map((r) => [r.address, r.status])).toEqual([
        ["migrations/m1", "succeeded"],
        ["migrations/m2", "failed"],
        ["migrations/m3", "skipped"],
      ])
      expect(summary.results[2]?.message).toContain("migrations/m2 failed before it")
      expect([...fake.store.keys()]).toEqual(["m1"])
    }),
  )
})
