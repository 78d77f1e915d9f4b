/**
 * A saved plan binds what was reviewed: an edited, emptied or re-sealed plan file is refused with
 * exit 4 and a message saying what differs, and nothing is applied.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Schema from "effect/Schema"
import { beforeEach, describe, expect, it } from "vitest"
import { sealPlan } from "../engine/cli/planSeal.ts"
import { SavedPlan } from "../engine/cli/savedPlan.ts"
import { runCli } from "./support/cli.ts"

let dir = ""
const key = "test-fingerprint-key-0123456789"

const cli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  runCli(args, {
    cwd: dir,
    env: { API_TOKEN: "token-value-1", RECONCILE_FINGERPRINT_KEY: undefined, ...env },
  })
const applied = () => existsSync(join(dir, ".reconcile/fake/staging.json"))

type PlanJson = { plan: { steps: Array<{ address: string; after?: unknown }> }; seal?: unknown }
const readPlan = () => JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as PlanJson
const writePlan = (json: unknown) => writeFileSync(join(dir, "plan.json"), JSON.stringify(json))

/** What a forger who knows the algorithm (but not RECONCILE_FINGERPRINT_KEY) can do: re-seal. */
const reseal = (json: PlanJson) => {
  const saved = Schema.decodeUnknownSync(SavedPlan)(json)
  return { ...json, seal: sealPlan(saved, undefined) }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "reconcile-saved-"))
  mkdirSync(join(dir, "manifests"))
  writeFileSync(
    join(dir, "manifests", "staging.yaml"),
    "apiVersion: reconcile/v1\nkind: Release\nmetadata:\n  name: staging\nspec:\n  fake:\n    values:\n" +
      "      GREETING: hello\n      API_TOKEN: { fromEnv: API_TOKEN }\n",
  )
})

describe("saved plans bind what was reviewed", () => {
  it("refuses an edited plan (exit 4, says it was edited) and applies nothing", () => {
    expect(cli(["--env", "staging", "--out", "plan.json"]).code).toBe(0)
    const json = readPlan()
    const greeting = json.plan.steps.find((s) => s.address === "fake/GREETING")
    expect(greeting).toBeDefined()
    if (greeting !== undefined) greeting.after = "what the reviewer read"
    writePlan(json)
    const run = cli(["apply", "plan.json"])
    expect(run.code).toBe(4)
    expect(run.stderr).toContain("plan.json was edited after it was saved")
    expect(applied()).toBe(false)
  })

  it("refuses an emptied and re-sealed plan, naming the steps it left out", () => {
    expect(cli(["--env", "staging", "--out", "plan.json"]).code).toBe(0)
    const json = readPlan()
    json.plan.steps = []
    writePlan(reseal(json))
    const run = cli(["apply", "plan.json"])
    expect(run.code).toBe(4)
    expect(run.stderr).toContain("the steps planned now differ from the ones in plan.json")
    expect(run.stderr).toContain("fake/GREETING is planned now")
    expect(run.stderr).not.toContain("token-value-1")
    expect(applied()).toBe(false)
  })

  it("with RECONCILE_FINGERPRINT_KEY: only a seal made with that key is trusted", () => {
    const withKey = { RECONCILE_FINGERPRINT_KEY: key }
    expect(cli(["--env", "staging", "--out", "plan.json"], withKey).code).toBe(0)
    const original = readPlan()
    const json = readPlan()
    json.plan.steps = json.plan.steps.filter((s) => s.address !== "fake/API_TOKEN")
    writePlan(reseal(json))
    const forged = cli(["apply", "plan.json"], withKey)
    expect(forged.code).toBe(4)
    expect(forged.stderr).toContain("saved without RECONCILE_FINGERPRINT_KEY")
    writePlan(original)
    const keyless = cli(["apply", "plan.json"])
    expect(keyless.code).toBe(4)
    expect(keyless.stderr).toContain("set the same key")
    expect(applied()).toBe(false)
    const good = cli(["apply", "plan.json"], withKey)
    expect(good.code).toBe(0)
    expect(applied()).toBe(true)
  })
})
