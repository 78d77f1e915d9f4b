import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { canonicalJson, fingerprintLive, toDisplay } from "./fingerprint.ts"
import { SensitiveValue } from "./Step.ts"

describe("fingerprints", () => {
  it("shows a secret only as a keyed fingerprint that changes with the value", () => {
    const a = toDisplay("key", Redacted.make("hunter2"))
    const b = toDisplay("key", Redacted.make("hunter3"))
    const otherKey = toDisplay("other", Redacted.make("hunter2"))
    expect(a).toBeInstanceOf(SensitiveValue)
    expect(JSON.stringify(a)).not.toContain("hunter2")
    expect((a as SensitiveValue).fingerprint).toMatch(/^[0-9a-f]{12}$/)
    expect((a as SensitiveValue).fingerprint).not.toBe((b as SensitiveValue).fingerprint)
    expect((a as SensitiveValue).fingerprint).not.toBe((otherKey as SensitiveValue).fingerprint)
    expect(toDisplay("key", { web: 2, token: Redacted.make("hunter2") })).toEqual({ web: 2, token: a })
  })

  it("canonical JSON ignores key order and never contains a secret", () => {
    const x = canonicalJson({ b: 1, a: { d: Redacted.make("s3cret"), c: [1, 2] } }, "n")
    const y = canonicalJson({ a: { c: [1, 2], d: Redacted.make("s3cret") }, b: 1 }, "n")
    expect(x).toBe(y)
    expect(x).not.toContain("s3cret")
    expect(fingerprintLive({ a: 1 }, "n")).not.toBe(fingerprintLive({ a: 2 }, "n"))
    expect(fingerprintLive({ a: Redacted.make("x") }, "n")).not.toBe(
      fingerprintLive({ a: Redacted.make("y") }, "n"),
    )
  })
})
