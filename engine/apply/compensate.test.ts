/** Compensation runs its undo steps through the executor's ordered runner: newest first, stopping at a failure. */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { plan as planEnv } from "../plan/planEnv.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import { type FakeChange, type FakeSpec, failWith, makeFake } from "../testing/fakePlugin.ts"
import { converge } from "./converge.ts"
import { defaultPolicy } from "./policy.ts"

const run = (plugins: ReadonlyArray<AnyPlugin<never>>, spec: Record<string, FakeSpec>) =>
  Effect.gen(function* () {
    const ctx: RunContext = { env: "test", spec, manifestDir: "m", dryRun: false }
    const { plan, planned } = yield* planEnv({
      plugins,
      ctx,
      fingerprintKey: "k",
      manifest: { file: "m.yaml", digest: "d" },
    })
    const fiber = yield* Effect.fork(
      converge({ plugins, plan, planned, ctx, policy: defaultPolicy, fingerprintKey: "k" }),
    )
    yield* TestClock.adjust("1 hour")
    return yield* Fiber.join(fiber)
  })

describe("compensation", () => {
  it.effect("undoes newest first and skips the older undo once one fails, saying why", () =>
    Effect.gen(function* () {
      const release = makeFake({
        name: "release",
        wave: "release",
        onApply: (c: FakeChange) => (c.key === "undo-r2" ? failWith("Invalid", "cannot undo r2") : undefined),
      })
      const undoing: AnyPlugin<never> = {
        ...release.plugin,
        ordered: true,
        compensate: (change) => {
          const key = (change as FakeChange).key
          return key.startsWith("undo-")
            ? undefined
            : {
                key: `undo-${key}`,
                action: "run",
                reason: "undo",
                change: { key: `undo-${key}`, value: "x" },
              }
        },
      }
      const formation = makeFake({
        name: "formation",
        wave: "formation",
        onApply: () => failWith("Invalid", "no such dyno size"),
      })
      const summary = yield* run([undoing, formation.plugin], {
        release: { values: { r1: "1", r2: "1" } },
        formation: { values: { web: "2" } },
      })
      expect(summary.results.map((r) => [r.address, r.status])).toEqual([
        ["release/r1", "succeeded"],
        ["release/r2", "succeeded"],
        ["formation/web", "failed"],
        ["release/undo-r2", "failed"],
        ["release/undo-r1", "skipped"],
      ])
      expect(summary.results[4]?.message).toContain(
        "release/undo-r2 failed before it (a rollback undoes newest first and stops at a failure)",
      )
      expect(release.store.has("undo-r1")).toBe(false)
    }),
  )
})
