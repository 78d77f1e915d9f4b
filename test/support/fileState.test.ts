import { describe, expect, it } from "vitest"
import { allOutput } from "./cli.ts"
import { perTestFile, resetFileState } from "./fileState.ts"

describe("per-test-file state (the forks keep modules loaded across files)", () => {
  it("each test file starts with no captured CLI output, whatever a file before it captured", () => {
    // the setupFile reset it before this file: nothing any earlier file in this worker printed is here
    expect(allOutput).toEqual([])
    allOutput.push("printed by this file")
    resetFileState()
    expect(allOutput).toEqual([])
  })

  it("runs every registered reset, each time", () => {
    let count = 0
    perTestFile(() => {
      count++
    })
    resetFileState()
    resetFileState()
    expect(count).toBe(2)
  })
})
