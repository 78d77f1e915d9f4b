import { expect, describe as group, it } from "vitest"
import { describe, elapsed, interleave, summarise } from "../bench/interleave.ts"

group("bench interleave", () => {
  it("alternates subject and baseline, warms up, and takes at least 7 pairs", async () => {
    const order: Array<string> = []
    const r = await interleave({
      subject: async (i) => {
        order.push(`A${i}`)
        return elapsed(20)
      },
      baseline: async (i) => {
        order.push(`B${i}`)
        return elapsed(10)
      },
      pairs: 3,
    })
    expect(order.slice(0, 4)).toEqual(["A-1", "B-1", "A0", "B0"])
    expect(order).toHaveLength(16)
    expect(r.pairs).toBe(7)
    expect(r.ratio).toBe(2)
    expect(r.noisy).toBe(false)
  })

  it("reports the median pairwise ratio and flags a spread wider than 30% as noisy", () => {
    const quiet = summarise([11, 12, 10, 11, 12, 11, 10], [10, 10, 10, 10, 10, 10, 10], {
      before: 1,
      after: 2,
    })
    expect(quiet.ratio).toBeCloseTo(1.1)
    expect(quiet.spread).toEqual({ min: 1, max: 1.2 })
    expect(quiet.noisy).toBe(false)
    const busy = summarise([10, 30, 10, 10, 10, 10, 10], [10, 10, 10, 10, 10, 10, 10], {
      before: 1,
      after: 2,
    })
    expect(busy.ratio).toBe(1)
    expect(busy.noisy).toBe(true)
    expect(describe(busy)).toContain("noisy")
    expect(describe(quiet, true)).toMatch(/^0\.91× \(spread 0\.83–1\.00×, 7 interleaved pairs/)
  })
})
