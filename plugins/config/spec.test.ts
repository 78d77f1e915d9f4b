/** Heroku's config var limits are checked at validation, positioned, without printing a value. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { formatProblem, loadManifest, secretEnvFromRecord } from "../../engine/index.ts"
import { configSection, MAX_VALUE_BYTES } from "./spec.ts"

const dir = mkdtempSync(join(tmpdir(), "config-spec-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const problemsOf = (vars: string, secrets: Record<string, string> = {}) => {
  writeFileSync(
    join(dir, "test.yaml"),
    `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: test }\nspec:\n  config:\n    vars:\n${vars}`,
  )
  return Effect.runPromise(
    loadManifest({ dir, env: "test", sections: [configSection] }).pipe(
      Effect.provide(secretEnvFromRecord(secrets)),
      Effect.match({ onFailure: (e) => e.problems.map(formatProblem), onSuccess: () => [] }),
    ),
  )
}

describe("config var limits", () => {
  it("a value over 32 KiB, plain or secret, is a positioned error that never shows the value", async () => {
    const big = "x".repeat(MAX_VALUE_BYTES + 1)
    const secret = `canary-${"s".repeat(MAX_VALUE_BYTES)}`
    const problems = await problemsOf(
      `      SMALL: ok\n      BIG: ${big}\n      SECRET: { fromEnv: HUGE }\n`,
      {
        HUGE: secret,
      },
    )
    expect(problems).toEqual([
      `${dir}/test.yaml:8:12: spec.config.vars.BIG: the value is 32769 bytes; Heroku accepts at most 32768 bytes per config var`,
      `${dir}/test.yaml:9:15: spec.config.vars.SECRET: the value is 32775 bytes; Heroku accepts at most 32768 bytes per config var`,
    ])
    expect(problems.join("\n")).not.toContain("canary")
  })

  it("multi-byte characters count as bytes; exactly 32 KiB is fine; the declared total is capped", async () => {
    expect(await problemsOf(`      A: ${"x".repeat(MAX_VALUE_BYTES)}\n`)).toEqual([])
    const [p] = await problemsOf(`      A: ${"é".repeat(MAX_VALUE_BYTES / 2 + 1)}\n`)
    expect(p).toContain("the value is 32770 bytes")
    const three = ["A", "B", "C"].map((k) => `      ${k}: ${"x".repeat(30_000)}\n`).join("")
    expect((await problemsOf(three))[0]).toMatch(
      /spec\.config\.vars\.C: the declared config vars total 90003 bytes/,
    )
  })
})
