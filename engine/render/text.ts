/**
 * The human text renderer, Terraform-like: steps grouped by wave with `+ ~ - -/+ >` symbols, then
 * warnings and a totals line; and for an apply, one line per step result and a convergence line.
 * Pure functions of the data and a `Style`; colour never changes the words.
 */
import type { StepResult, Summary } from "../apply/Summary.ts"
import type { Plan } from "../plan/Plan.ts"
import { flattenMembers, type Step } from "../plan/Step.ts"
import {
  actionColour,
  actionSymbol,
  type ChangeAction,
  convergence,
  isChange,
  isNoopSummary,
  noPlanChanges,
  noSummaryChanges,
  planTotals,
  statusColour,
  statusSymbol,
  summaryTotals,
} from "./actions.ts"
import { formatDuration } from "./duration.ts"
import { healthText, unhealthySentence } from "./health.ts"
import type { Style } from "./style.ts"
import { changeView } from "./values.ts"

/** A value goes on the address line while the line stays this short; otherwise on the next line. */
const inlineWidth = 100
const detail = "      "

const stepLines = (
  step: Step & { readonly action: ChangeAction },
  style: Style,
  indent = "  ",
): ReadonlyArray<string> => {
  const colour = actionColour(style)[step.action]
  const head = `${indent}${colour(actionSymbol[step.action])} ${style.bold(step.address)}`
  const plainHead = `${indent}${actionSymbol[step.action]} ${step.address}`
  const detail = `${indent}    `
  const marker = step.destructive ? ` ${style.red("(destructive)")}` : ""
  const view = changeView(step)
  const lines: Array<string> = []
  if (view._tag === "Value" && plainHead.length + 2 + view.text.length <= inlineWidth) {
    lines.push(`${head}: ${view.text}${marker}`)
  } else {
    lines.push(`${head}${marker}`)
    if (view._tag === "Value") lines.push(`${detail}${view.text}`)
    if (view._tag === "Fields") for (const l of view.lines) lines.push(`${detail}${l}`)
  }
  if (step.reason !== "") lines.push(`${detail}${style.dim(step.reason)}`)
  for (const note of step.notes) lines.push(`${detail}${style.dim(`Note: ${note}`)}`)
  if (step.members !== undefined)
    for (const m of flattenMembers([step]))
      if (isChange(m)) lines.push(...stepLines(m, style, `${indent}    `))
  return lines
}

const warningLines = (warnings: ReadonlyArray<string>, style: Style): ReadonlyArray<string> =>
  warnings.map((w) => style.yellow(`Warning: ${w}`))

/** Every problem in one place; errors first, with what they mean for an apply. */
const problemLines = (plan: Plan, style: Style): ReadonlyArray<string> => {
  if (plan.problems.length === 0) return []
  const errors = plan.errors
  return [
    style.bold(
      errors.length > 0
        ? `Problems (${errors.length} error(s): nothing can be applied until they are resolved):`
        : "Problems:",
    ),
    ...errors.map((p) => style.red(`  Error: ${p.address}: ${p.message}`)),
    ...plan.problems
      .filter((p) => p.severity === "warning")
      .map((p) => style.yellow(`  Warning: ${p.address}: ${p.message}`)),
  ]
}

/** The plan in steps' given order, one heading per run of steps in the same wave. */
export const renderPlanText = (plan: Plan, style: Style): string => {
  const warnings = warningLines(plan.warnings, style)
  const problems = problemLines(plan, style)
  const health = healthText(plan.health, style)
  const unhealthy = unhealthySentence(plan.health ?? [])
  if (plan.isEmpty)
    return [
      ...problems,
      ...(problems.length > 0 ? [""] : []),
      ...warnings,
      ...(warnings.length > 0 ? [""] : []),
      ...health,
      ...(health.length > 0 ? [""] : []),
      noPlanChanges(plan.env, plan.errors.length),
      ...(unhealthy === undefined ? [] : [style.red(unhealthy)]),
    ].join("\n")
  const out: Array<string> = [style.bold(`Plan for environment ${JSON.stringify(plan.env)}:`)]
  let wave: string | undefined
  for (const step of plan.steps) {
    if (!isChange(step)) continue
    if (step.wave !== wave) {
      wave = step.wave
      out.push("", style.bold(`Wave ${wave}:`))
    }
    out.push(...stepLines(step, style))
  }
  if (warnings.length > 0) out.push("", ...warnings)
  if (problems.length > 0) out.push("", ...problems)
  if (health.length > 0) out.push("", ...health)
  out.push("", `${style.bold("Plan:")} ${planTotals(plan)}.`)
  if (unhealthy !== undefined) out.push(style.red(unhealthy))
  return out.join("\n")
}

const timing = (r: StepResult): string => {
  if (r.attempts === 0) return ""
  const parts = [
    ...(r.pass > 1 ? [`pass ${r.pass}`] : []),
    ...(r.attempts > 1 ? [`${r.attempts} attempts`] : []),
    formatDuration(r.durationMs),
  ]
  return ` (${parts.join(", ")})`
}

const resultMessage = (r: StepResult): string | undefined => {
  if (r.status === "succeeded" || r.message === undefined) return undefined
  return r.status === "failed" && r.reason !== undefined ? `${r.reason}: ${r.message}` : r.message
}

const resultLine = (r: StepResult, style: Style): string => {
  const symbol = statusColour(style)[r.status](statusSymbol[r.status])
  const message = resultMessage(r)
  const text = message === undefined ? "" : ` — ${r.status === "failed" ? style.red(message) : message}`
  const line = `  ${symbol} ${r.address}${style.dim(timing(r))}${text}`
  return r.members === undefined
    ? line
    : `${line}\n${detail}${style.dim(`together: ${r.members.join(", ")}`)}`
}

/** The apply: one line per result, then the run error, warnings, outputs and the convergence line. */
export const renderSummaryText = (summary: Summary, style: Style): string => {
  const out: Array<string> = []
  const section = (lines: ReadonlyArray<string>) => {
    if (lines.length === 0) return
    if (out.length > 0) out.push("")
    out.push(...lines)
  }
  const noop = isNoopSummary(summary)
  if (summary.results.length > 0) {
    section([
      style.bold(`Apply for environment ${JSON.stringify(summary.env)}:`),
      "",
      ...summary.results.map((r) => resultLine(r, style)),
    ])
  }
  if (summary.error !== undefined) section([style.red(`Error: ${summary.error}`)])
  section(warningLines(summary.warnings, style))
  const outputs = Object.entries(summary.outputs)
  if (outputs.length > 0) section([style.bold("Outputs:"), ...outputs.map(([k, v]) => `  ${k}: ${v}`)])
  section(healthText(summary.health, style))
  const unhealthy = unhealthySentence(summary.health ?? [])
  const converged = summary.converged ? style.green(convergence(summary)) : style.red(convergence(summary))
  section([
    noop
      ? noSummaryChanges(summary.env)
      : `${style.bold("Applied:")} ${summaryTotals(summary)}. ${converged}`,
    ...(unhealthy === undefined ? [] : [style.red(unhealthy)]),
  ])
  return out.join("\n")
}
