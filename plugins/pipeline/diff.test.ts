import { describe, expect, it } from "vitest"
import { diffPipeline } from "./diff.ts"

const want = { name: "nails", stage: "production" } as const

describe("diffPipeline", () => {
  it("coupled as declared: nothing", () => {
    expect(
      diffPipeline(want, {
        app: "p",
        pipelineExists: true,
        coupling: { pipeline: "nails", stage: "production" },
      }),
    ).toEqual([])
  })

  it("no pipeline yet: one create step that also couples the app", () => {
    const steps = diffPipeline(want, { app: "p", pipelineExists: false, coupling: null })
    expect(steps.map((s) => [s.key, s.action, s.after])).toEqual([
      ["nails", "create", { pipeline: "nails", stage: "production" }],
    ])
    expect(steps[0]?.reason).toContain("does not exist")
    expect(steps[0]?.change).toEqual({ app: "p", pipeline: "nails", stage: "production" })
  })

  it("another stage or another pipeline: an update that moves the app", () => {
    const stage = diffPipeline(want, {
      app: "p",
      pipelineExists: true,
      coupling: { pipeline: "nails", stage: "staging" },
    })
    expect(stage.map((s) => [s.action, s.before, s.reason])).toEqual([
      ["update", { pipeline: "nails", stage: "staging" }, "p moves from stage staging to production"],
    ])
    const other = diffPipeline(want, {
      app: "p",
      pipelineExists: true,
      coupling: { pipeline: "old", stage: "production" },
    })
    expect(other[0]?.reason).toBe("p moves from pipeline old to nails")
  })
})
