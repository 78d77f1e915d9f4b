import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { Summary } from "../apply/Summary.ts"
import { Plan } from "../plan/Plan.ts"
import { Step } from "../plan/Step.ts"
import {
  emptyPlan,
  jwtNew,
  jwtOld,
  plan,
  problemPlan,
  rawSecrets,
  sentryDsn,
  steps,
} from "./__fixtures__/plans.ts"
import { summaries } from "./__fixtures__/summaries.ts"
import { formatDuration } from "./duration.ts"
import {
  ansiStyle,
  decodePlanJson,
  decodeSummaryJson,
  type OutputFormat,
  plainStyle,
  renderPlan,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
  renderSummary,
  renderSummaryJson,
  renderSummaryMarkdown,
  renderSummaryText,
  styleFor,
} from "./index.ts"
import { codeSpan, escapeText } from "./markdown.ts"

const golden = (name: string) => `./__golden__/${name}`
const esc = "\u001b"

describe("plan golden output", () => {
  it("text", async () => {
    await expect(renderPlanText(plan, plainStyle)).toMatchFileSnapshot(golden("plan.golden.txt"))
  })
  it("text with ANSI colour", async () => {
    await expect(renderPlanText(plan, ansiStyle)).toMatchFileSnapshot(golden("plan.ansi.golden.txt"))
  })
  it("empty plan text", async () => {
    await expect(renderPlanText(emptyPlan, plainStyle)).toMatchFileSnapshot(golden("plan-empty.golden.txt"))
  })
  it("json", async () => {
    await expect(renderPlanJson(plan)).toMatchFileSnapshot(golden("plan.golden.json"))
  })
  it("markdown", async () => {
    await expect(renderPlanMarkdown(plan)).toMatchFileSnapshot(golden("plan.golden.md"))
  })
  it("empty plan markdown", async () => {
    await expect(renderPlanMarkdown(emptyPlan)).toMatchFileSnapshot(golden("plan-empty.golden.md"))
  })
})

describe("plan problems", () => {
  it("shows every problem in one place, in text and markdown", async () => {
    await expect(renderPlanText(problemPlan, plainStyle)).toMatchFileSnapshot(
      golden("plan-problems.golden.txt"),
    )
    await expect(renderPlanMarkdown(problemPlan)).toMatchFileSnapshot(golden("plan-problems.golden.md"))
    expect(
      JSON.parse(renderPlanJson(problemPlan)).problems.map((p: { severity: string }) => p.severity),
    ).toEqual(["error", "warning"])
  })
  it("an empty plan stopped by an error never says the environment matches its manifest", () => {
    const stopped = new Plan({ ...problemPlan, steps: [] })
    const text = renderPlanText(stopped, plainStyle)
    expect(text).toContain("Error: migrations/20260110_add_index")
    expect(text).not.toContain("matches its manifest")
    expect(text).toContain('Nothing planned for environment "production": resolve the error(s) above first.')
    expect(renderPlanMarkdown(stopped)).not.toContain("No changes.")
    // without errors an empty plan still says so
    expect(renderPlanText(emptyPlan, plainStyle)).toContain("matches its manifest")
  })
})

describe("summary golden output", () => {
  for (const [name, summary] of Object.entries(summaries)) {
    it(`${name} text`, async () => {
      await expect(renderSummaryText(summary, plainStyle)).toMatchFileSnapshot(
        golden(`summary-${name}.golden.txt`),
      )
    })
    it(`${name} markdown`, async () => {
      await expect(renderSummaryMarkdown(summary)).toMatchFileSnapshot(golden(`summary-${name}.golden.md`))
    })
  }
  it("json", async () => {
    await expect(renderSummaryJson(summaries.failed)).toMatchFileSnapshot(
      golden("summary-failed.golden.json"),
    )
  })
})

describe("json", () => {
  it("round-trips a plan", () => {
    const decoded = decodePlanJson(renderPlanJson(plan))
    expect(decoded).toBeInstanceOf(Plan)
    expect(Schema.encodeSync(Plan)(decoded)).toEqual(Schema.encodeSync(Plan)(plan))
    expect(decoded.changes.length).toBe(plan.changes.length)
  })
  it("round-trips every summary", () => {
    for (const summary of Object.values(summaries)) {
      const decoded = decodeSummaryJson(renderSummaryJson(summary))
      expect(decoded).toBeInstanceOf(Summary)
      expect(Schema.encodeSync(Summary)(decoded)).toEqual(Schema.encodeSync(Summary)(summary))
    }
  })
  it("carries kind and formatVersion 2", () => {
    expect(JSON.parse(renderPlanJson(plan))).toMatchObject({ kind: "plan", formatVersion: 2 })
    expect(JSON.parse(renderSummaryJson(summaries.success))).toMatchObject({
      kind: "summary",
      formatVersion: 2,
    })
  })
  it("rejects JSON that is not a plan", () => {
    expect(() => decodePlanJson(renderSummaryJson(summaries.success))).toThrow()
    expect(() => decodePlanJson("{not json")).toThrow()
  })
})

describe("secrets", () => {
  const formats: ReadonlyArray<OutputFormat> = ["text", "json", "markdown"]
  const outputs = formats.flatMap((f) => [
    renderPlan(plan, f, ansiStyle),
    ...Object.values(summaries).map((s) => renderSummary(s, f, ansiStyle)),
  ])
  it("shows fingerprints in every plan format", () => {
    for (const f of formats) {
      const out = renderPlan(plan, f, plainStyle)
      for (const s of [jwtOld, jwtNew, sentryDsn]) expect(out).toContain(s.fingerprint)
    }
    expect(renderPlanText(plan, plainStyle)).toContain(
      `(sensitive) #${jwtOld.fingerprint} → (sensitive) #${jwtNew.fingerprint}`,
    )
  })
  it("never shows a raw secret", () => {
    for (const out of outputs) for (const raw of rawSecrets) expect(out).not.toContain(raw)
  })
  it("masks a raw value in a step marked sensitive", () => {
    const leak = new Step({
      ...steps.stack,
      sensitive: true,
      before: "oops-raw",
      after: { token: "oops-new" },
    })
    const leaky = new Plan({ ...plan, steps: [leak] })
    expect(renderPlanText(leaky, plainStyle)).not.toContain("oops")
    expect(renderPlanMarkdown(leaky)).not.toContain("oops")
    expect(renderPlanText(leaky, plainStyle)).toContain("(sensitive) → token=(sensitive)")
  })
})

describe("style", () => {
  it("plain text has no escape codes; ansi text has them", () => {
    for (const s of Object.values(summaries)) expect(renderSummaryText(s, plainStyle)).not.toContain(esc)
    expect(renderPlanText(plan, plainStyle)).not.toContain(esc)
    expect(renderPlanText(plan, ansiStyle)).toContain(esc)
  })
  it("styleFor picks plain unless a terminal wants colour", () => {
    expect(styleFor({ isTTY: true, env: {} })).toBe(ansiStyle)
    expect(styleFor({ isTTY: false, env: {} })).toBe(plainStyle)
    expect(styleFor({ isTTY: true, env: { NO_COLOR: "1" } })).toBe(plainStyle)
    expect(styleFor({ isTTY: true, env: { NO_COLOR: "" } })).toBe(ansiStyle)
    expect(styleFor({ isTTY: false, env: { FORCE_COLOR: "1" } })).toBe(ansiStyle)
    expect(styleFor({ isTTY: false, env: { FORCE_COLOR: "1", NO_COLOR: "1" } })).toBe(plainStyle)
    expect(styleFor({ isTTY: true, env: { FORCE_COLOR: "0" } })).toBe(plainStyle)
    expect(styleFor({ isTTY: true, env: { TERM: "dumb" } })).toBe(plainStyle)
  })
})

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [850, "850ms"],
    [999.6, "1s"],
    [1_234, "1.2s"],
    [4_000, "4s"],
    [59_960, "1m 00s"],
    [125_000, "2m 05s"],
    [3_725_000, "1h 02m"],
    [-5, "0ms"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe("markdown cells", () => {
  it("escape pipes, backticks, HTML and newlines", () => {
    expect(escapeText("a|b `c` <d>\ne")).toBe("a\\|b \\`c\\` &lt;d><br>e")
    expect(codeSpan("`x` | y\nz")).toBe("`` `x` \\| y ``<br>`z`")
  })
  it("takes a title", () => {
    expect(renderPlanMarkdown(plan, { title: "Plan (PR #42)" })).toMatch(
      /^### Plan \(PR #42\): production — 3 to create/,
    )
  })
})
