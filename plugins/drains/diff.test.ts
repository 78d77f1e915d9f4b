import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { type DrainsLive, diffDrains } from "./diff.ts"

const secret = "https://user:tok3n-abc@logs.example.com/x"
const live: DrainsLive = {
  app: "p",
  drains: [
    { id: "1", token: "d.kept", url: Redacted.make("syslog+tls://logs.example.com:6514") },
    { id: "2", token: "d.stray", url: Redacted.make("https://stray.example.com/") },
  ],
}

describe("diffDrains", () => {
  it("matches by URL; creates the missing, removes the undeclared; never shows a URL", () => {
    const steps = diffDrains(["syslog+tls://logs.example.com:6514", Redacted.make(secret)], live)
    expect(steps.map((s) => [s.key, s.action, s.sensitive])).toEqual([
      ["drain-2", "create", true],
      ["d.stray", "delete", true],
    ])
    expect(Redacted.isRedacted(steps[0]?.after)).toBe(true)
    expect(Redacted.isRedacted(steps[1]?.before)).toBe(true)
    expect(JSON.stringify(steps.map(({ change: _c, ...shown }) => shown))).not.toContain("tok3n")
  })

  it("in sync: nothing", () => {
    expect(diffDrains(["syslog+tls://logs.example.com:6514", "https://stray.example.com/"], live)).toEqual([])
  })
})
