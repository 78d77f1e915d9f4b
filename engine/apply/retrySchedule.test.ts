import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { describe, expect, it } from "vitest"
import { defaultPolicy, retryHonouringServer, retrySchedule } from "./policy.ts"

const delaysOf = (schedule: Schedule.Schedule<unknown, { readonly retryAfterMs?: number }>, n: number) =>
  Chunk.toArray(Effect.runSync(Schedule.run(Schedule.delays(schedule), 0, Array(n).fill({})))).map((d) =>
    Duration.toMillis(d),
  )

describe("the retry schedule", () => {
  const policy = { ...defaultPolicy, retries: 12 }

  it("never waits longer than retryCap between attempts, however many retries the policy allows", () => {
    for (const schedule of [retrySchedule(policy), retryHonouringServer(policy)]) {
      const delays = delaysOf(schedule, 12)
      expect(delays).toHaveLength(12)
      // jittered around 250 ms, 500 ms, ... and capped: 20 s × the jitter's 1.2 at most
      expect(Math.max(...delays)).toBeLessThanOrEqual(Duration.toMillis(policy.retryCap) * 1.2)
      expect(delays.slice(-4).every((d) => d >= Duration.toMillis(policy.retryCap) * 0.8)).toBe(true)
      expect(delays.every((d) => Number.isInteger(d))).toBe(true)
    }
  })

  it("is jittered: two runs do not wait exactly the same", () => {
    const a = delaysOf(retrySchedule(policy), 12)
    const b = delaysOf(retrySchedule(policy), 12)
    expect(a).not.toEqual(b)
  })
})
