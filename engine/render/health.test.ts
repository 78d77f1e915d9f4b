/** Per-resource health in every renderer (golden strings) and in the dry-run exit code. */
import { describe, expect, it } from "vitest"
import { ExitCode, exitCodeForPlan } from "../cli/exitCodes.ts"
import { Plan } from "../plan/Plan.ts"
import { healthyPlan, unhealthyPlan, unhealthySummary } from "./__fixtures__/health.ts"
import { emptyPlan } from "./__fixtures__/plans.ts"
import {
  decodePlanJson,
  decodeSummaryJson,
  plainStyle,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
  renderSummaryJson,
  renderSummaryMarkdown,
  renderSummaryText,
} from "./index.ts"

const golden = (name: string) => `./__golden__/${name}`

describe("health golden output", () => {
  it("an in-sync plan with health problems: text, markdown, json", async () => {
    await expect(renderPlanText(unhealthyPlan, plainStyle)).toMatchFileSnapshot(
      golden("plan-health.golden.txt"),
    )
    await expect(renderPlanMarkdown(unhealthyPlan)).toMatchFileSnapshot(golden("plan-health.golden.md"))
    await expect(renderPlanJson(unhealthyPlan)).toMatchFileSnapshot(golden("plan-health.golden.json"))
  })
  it("a plan with changes and healthy resources: text", async () => {
    await expect(renderPlanText(healthyPlan, plainStyle)).toMatchFileSnapshot(
      golden("plan-healthy.golden.txt"),
    )
  })
  it("a summary carries the health last observed: text, markdown", async () => {
    await expect(renderSummaryText(unhealthySummary, plainStyle)).toMatchFileSnapshot(
      golden("summary-health.golden.txt"),
    )
    await expect(renderSummaryMarkdown(unhealthySummary)).toMatchFileSnapshot(
      golden("summary-health.golden.md"),
    )
  })
})

describe("health as data", () => {
  it("round-trips through JSON with its facts", () => {
    const back = decodePlanJson(renderPlanJson(unhealthyPlan))
    expect(back.health).toEqual(unhealthyPlan.health)
    expect(back.unhealthy.map((h) => h.resource)).toEqual(["dynos/web", "backup/latest"])
    expect(decodeSummaryJson(renderSummaryJson(unhealthySummary)).health).toEqual(unhealthySummary.health)
  })
  it("is left out of a plan without any, so older consumers see the same JSON", () => {
    expect(JSON.parse(renderPlanJson(emptyPlan))).not.toHaveProperty("health")
  })
  it("names the crashed process type in text", () => {
    expect(renderPlanText(unhealthyPlan, plainStyle)).toContain(
      "✗ dynos/web: 1 crashed, 1 up of 2 [unhealthy]",
    )
  })
})

describe("--detailed-exitcode", () => {
  it("is 2 for an in-sync plan with an unhealthy resource, 0 without the flag", () => {
    expect(exitCodeForPlan(unhealthyPlan, true)).toBe(ExitCode.changes)
    expect(exitCodeForPlan(unhealthyPlan, false)).toBe(ExitCode.ok)
  })
  it("is 0 for an in-sync plan whose resources are healthy, progressing or unknown", () => {
    const fine = unhealthyPlan.health?.filter((h) => h.state !== "unhealthy") ?? []
    expect(fine.length).toBeGreaterThan(0)
    expect(exitCodeForPlan(new Plan({ ...unhealthyPlan, health: fine }), true)).toBe(ExitCode.ok)
  })
})
