/**
 * Markdown for GitHub job summaries and PR comments: a heading, one table row per step or result,
 * warnings as quotes, and the same totals sentences as the text renderer. Cells are escaped so no
 * value can break the table; output is deterministic for a given plan or summary.
 */
import type { StepResult, Summary } from "../apply/Summary.ts"
import type { Plan } from "../plan/Plan.ts"
import { flattenMembers, type Step } from "../plan/Step.ts"
import {
  actionSymbol,
  convergence,
  isChange,
  isNoopSummary,
  noSummaryChanges,
  planTotals,
  planTotalsShort,
  summaryTotals,
} from "./actions.ts"
import { formatDuration } from "./duration.ts"
import { healthMarkdown, unhealthySentence } from "./health.ts"
import { changeView } from "./values.ts"

/** Options for both markdown renderers. */
export interface MarkdownOptions {
  /** Replaces the heading's first word (`Plan` or `Apply`), e.g. `Plan (PR #42)`. */
  readonly title?: string
}

/** Plain text in a cell: no pipes, no line breaks, no HTML or inline markup surprises. */
export const escapeText = (s: string): string =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "\\`")
    .replace(/</g, "&lt;")
    .replace(/\r?\n/g, "<br>")

/** A code span per line (fenced with enough backticks), lines joined by `<br>`; pipes escaped. */
export const codeSpan = (s: string): string =>
  s
    .split(/\r?\n/)
    .map((line) => {
      const runs = line.match(/`+/g) ?? []
      const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1)
      const pad = line.startsWith("`") || line.endsWith("`") ? " " : ""
      return `${fence}${pad}${line.replace(/\|/g, "\\|")}${pad}${fence}`
    })
    .join("<br>")

const cells = { text: (s: string) => escapeText(s), code: (s: string) => codeSpan(s) }

const row = (cells: ReadonlyArray<string>): string => `| ${cells.join(" | ")} |`

const changeCell = (step: Step): string => {
  const view = changeView(step)
  const text =
    view._tag === "Value"
      ? codeSpan(view.text)
      : view._tag === "Fields"
        ? view.lines.map(codeSpan).join("<br>")
        : ""
  if (!step.destructive) return text
  return text === "" ? "**destructive**" : `${text} **destructive**`
}

const reasonCell = (step: Step): string =>
  [escapeText(step.reason), ...step.notes.map((n) => `_Note: ${escapeText(n)}_`)]
    .filter((s) => s !== "")
    .join("<br>")

const quotes = (label: string, items: ReadonlyArray<string>): ReadonlyArray<string> =>
  items.map((w) => `> **${label}:** ${escapeText(w)}`)

const joinBlocks = (blocks: ReadonlyArray<ReadonlyArray<string>>): string =>
  blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join("\n"))
    .join("\n\n")

/** `### Plan: production — 2 to create, 1 to update`, a table of changes, warnings and totals. */
export const renderPlanMarkdown = (plan: Plan, options: MarkdownOptions = {}): string => {
  const title = options.title ?? "Plan"
  const heading = `### ${title}: ${plan.env} — ${planTotalsShort(plan)}`
  const warnings = quotes("Warning", plan.warnings)
  const problems = [
    ...quotes(
      "Problem",
      plan.errors.map((p) => `${p.address}: ${p.message}`),
    ),
    ...quotes(
      "Warning",
      plan.problems.filter((p) => p.severity === "warning").map((p) => `${p.address}: ${p.message}`),
    ),
    ...(plan.errors.length > 0
      ? ["", "**This plan cannot be applied until its problems are resolved.**"]
      : []),
  ]
  const health = healthMarkdown(plan.health, cells)
  const unhealthy = unhealthySentence(plan.health ?? [])
  const unhealthyBlock = unhealthy === undefined ? [] : [`**${escapeText(unhealthy)}**`]
  if (plan.isEmpty)
    return joinBlocks([
      [heading],
      problems,
      warnings,
      health,
      [plan.errors.length > 0 ? "Nothing planned." : "No changes."],
      unhealthyBlock,
    ])
  const table = [
    row(["", "Address", "Change", "Reason"]),
    row(["---", "---", "---", "---"]),
    ...plan.steps.filter(isChange).flatMap((s) => [
      row([codeSpan(actionSymbol[s.action]), codeSpan(s.address), changeCell(s), reasonCell(s)]),
      ...(s.members === undefined
        ? []
        : flattenMembers([s])
            .filter(isChange)
            .map((m) => row(["", `↳ ${codeSpan(m.address)}`, changeCell(m), reasonCell(m)]))),
    ]),
  ]
  return joinBlocks([
    [heading],
    problems,
    table,
    warnings,
    health,
    [`**Plan:** ${planTotals(plan)}.`],
    unhealthyBlock,
  ])
}

const messageCell = (r: StepResult): string => {
  if (r.status === "succeeded" || r.message === undefined) return ""
  const text = escapeText(r.message)
  return r.status === "failed" && r.reason !== undefined ? `**${r.reason}:** ${text}` : text
}

const addressCell = (r: StepResult): string => {
  const members = r.members === undefined ? "" : ` (${r.members.map(codeSpan).join(", ")})`
  return `${codeSpan(r.address)}${r.pass > 1 ? ` (pass ${r.pass})` : ""}${members}`
}

const resultRow = (r: StepResult): string =>
  row([
    r.status,
    addressCell(r),
    String(r.attempts),
    r.attempts === 0 ? "" : formatDuration(r.durationMs),
    messageCell(r),
  ])

/** `### Apply: production — converged`, a table of results, outputs, error and the convergence line. */
export const renderSummaryMarkdown = (summary: Summary, options: MarkdownOptions = {}): string => {
  const title = options.title ?? "Apply"
  const state = summary.ok ? "converged" : summary.converged ? "converged with problems" : "not converged"
  const heading = `### ${title}: ${summary.env} — ${state}`
  const table =
    summary.results.length === 0
      ? []
      : [
          row(["Status", "Step", "Attempts", "Duration", "Message"]),
          row(["---", "---", "---:", "---:", "---"]),
          ...summary.results.map(resultRow),
        ]
  const outputs = Object.entries(summary.outputs)
  const outputBlock =
    outputs.length === 0
      ? []
      : ["**Outputs:**", "", ...outputs.map(([k, v]) => `- ${escapeText(k)}: ${codeSpan(v)}`)]
  const unhealthy = unhealthySentence(summary.health ?? [])
  const final = isNoopSummary(summary)
    ? noSummaryChanges(summary.env)
    : `**Applied:** ${summaryTotals(summary)}. ${convergence(summary)}`
  return joinBlocks([
    [heading],
    table,
    quotes("Error", summary.error === undefined ? [] : [summary.error]),
    quotes("Warning", summary.warnings),
    outputBlock,
    healthMarkdown(summary.health, cells),
    [final],
    unhealthy === undefined ? [] : [`**${escapeText(unhealthy)}**`],
  ])
}
