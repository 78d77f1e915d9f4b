/** The health plugin's diff (a converged environment plans nothing) and its deadline (virtual clock). */
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { diffResultOf, type RunContext } from "../../engine/index.ts"
import type { Probe } from "../../services/probe.ts"
import { waitHealthy } from "./apply.ts"
import { healthPlugin } from "./plugin.ts"

const ctx: RunContext = { env: "t", spec: {}, manifestDir: ".", dryRun: false }
const probe = (over: Partial<Probe>): Probe => ({
  url: "http://127.0.0.1:1/health",
  status: 200,
  release: "v3",
  frontendDigest: "sha256:aa",
  latencyMs: 3,
  error: null,
  ...over,
})
const live = (
  p: Probe | null,
  expectDigest: string | null = "sha256:aa",
  expectRelease: string | null = null,
) => ({
  url: "http://127.0.0.1:1/health",
  probe: p,
  expectStatus: 200,
  expectDigest,
  expectRelease,
})

describe("health diff", () => {
  it("plans nothing when status and digest match", () => {
    expect(healthPlugin.diff({}, live(probe({})), ctx)).toEqual([])
  })
  it("plans a run step for a wrong digest, a wrong status or an unreachable app", () => {
    for (const p of [
      probe({ frontendDigest: "sha256:bb" }),
      probe({ status: 503 }),
      probe({ status: null, error: "refused" }),
    ])
      expect(diffResultOf(healthPlugin.diff({}, live(p), ctx)).changes.map((c) => c.action)).toEqual(["run"])
  })
  it("plans a check when an older release still answers with the same digest and status", () => {
    expect(healthPlugin.diff({}, live(probe({}), "sha256:aa", "v3"), ctx)).toEqual([])
    const [step] = diffResultOf(healthPlugin.diff({}, live(probe({}), "sha256:aa", "v4"), ctx)).changes
    expect(step?.before).toMatchObject({
      status: "HTTP 200, release v3 answering, v4 expected",
      release: "v3",
    })
    expect(step?.after).toMatchObject({ release: "v4" })
    const silent = diffResultOf(healthPlugin.diff({}, live(probe({ release: null }), "sha256:aa", "v4"), ctx))
    expect(silent.changes[0]?.before).toMatchObject({
      status: expect.stringContaining("runtime-dyno-metadata"),
    })
  })
  it("ignores the digest when not asked", () => {
    expect(healthPlugin.diff({}, live(probe({ frontendDigest: "other" }), null), ctx)).toEqual([])
  })
})

describe("health apply", () => {
  it.effect("fails (terminally) once the manifest's timeout has passed", () =>
    Effect.gen(function* () {
      const check = {
        url: null,
        expectStatus: 200,
        expectDigest: null,
        expectRelease: null,
        timeout: Duration.seconds(30),
      }
      const first = yield* waitHealthy(check)
      expect(first._tag).toBe("Pending")
      if (first._tag !== "Pending") return
      yield* TestClock.adjust(Duration.seconds(31))
      const error = yield* Effect.flip(first.check)
      expect(error.reason).toBe("Invalid")
      expect(error.detail).toMatch(/not healthy within 30s \(1 attempts\)/)
    }),
  )
})
