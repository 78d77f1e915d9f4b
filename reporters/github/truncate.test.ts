import { describe, expect, it } from "vitest"
import { mergeSections, parseSections } from "./prComment.ts"
import { truncateUtf8, utf8Length } from "./truncate.ts"

describe("truncateUtf8", () => {
  it("leaves text that fits alone", () => {
    expect(truncateUtf8("short", 10, "cut")).toBe("short")
  })

  it("cuts at a line boundary, never inside a character, and stays within the limit", () => {
    const text = Array.from({ length: 50 }, (_, i) => `| ${i} | é€😀 |`).join("\n")
    const cut = truncateUtf8(text, 300, "_cut_")
    expect(utf8Length(cut)).toBeLessThanOrEqual(300)
    expect(cut).not.toContain("\uFFFD")
    expect(cut.endsWith("\n\n_cut_\n")).toBe(true)
    expect(
      cut
        .split("\n\n_cut_")[0]!
        .split("\n")
        .every((l) => l.endsWith("|")),
    ).toBe(true)
  })
})

describe("plan comment sections", () => {
  it("replaces one environment's section and keeps the others, sorted", () => {
    const first = mergeSections(undefined, "staging", "### Plan: staging — 1 to update")
    const second = mergeSections(first, "production", "### Plan: production — no changes")
    const third = mergeSections(second, "staging", "### Plan: staging — no changes")
    expect([...parseSections(third)]).toEqual([
      ["production", "### Plan: production — no changes"],
      ["staging", "### Plan: staging — no changes"],
    ])
  })

  it("keeps the whole comment under GitHub's 65,536-character limit", () => {
    const huge = "| row |\n".repeat(20_000)
    const body = mergeSections(mergeSections(undefined, "a", huge), "b", huge)
    expect(body.length).toBeLessThan(65_536)
    expect(parseSections(body).size).toBe(2)
  })
})
