/**
 * How actions and statuses read in output: the Terraform-like symbols, their colours, and the
 * totals sentences shared by the text and markdown renderers.
 */
import type { StepStatus, Summary } from "../apply/Summary.ts"
import { countStatuses } from "../apply/Summary.ts"
import type { Action } from "../plan/Action.ts"
import type { Plan } from "../plan/Plan.ts"
import { countActions } from "../plan/Plan.ts"
import { formatDuration } from "./duration.ts"
import type { Style } from "./style.ts"

/** Changing actions only: noop steps are never listed. */
export type ChangeAction = Exclude<Action, "noop">

/** A step that changes something, i.e. one that renderers list. */
export const isChange = <S extends { readonly action: Action }>(
  step: S,
): step is S & { readonly action: ChangeAction } => step.action !== "noop"

export const actionSymbol: Readonly<Record<ChangeAction, string>> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
  run: ">",
}

export const actionColour = (style: Style): Readonly<Record<ChangeAction, (s: string) => string>> => ({
  create: style.green,
  update: style.yellow,
  replace: style.red,
  delete: style.red,
  run: style.cyan,
})

export const statusSymbol: Readonly<Record<StepStatus, string>> = {
  succeeded: "✓",
  failed: "✗",
  skipped: "-",
  refused: "!",
}

export const statusColour = (style: Style): Readonly<Record<StepStatus, (s: string) => string>> => ({
  succeeded: style.green,
  failed: style.red,
  skipped: style.dim,
  refused: style.yellow,
})

/** `2 to create, 1 to update, 0 to replace, 1 to delete, 1 to run` (every action, zeros included). */
export const planTotals = (plan: Plan): string => {
  const c = countActions(plan.steps)
  return `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.run} to run`
}

/** Like `planTotals` but only the non-zero counts, for headings. */
export const planTotalsShort = (plan: Plan): string => {
  const c = countActions(plan.steps)
  const parts = (["create", "update", "replace", "delete", "run"] as const)
    .filter((a) => c[a] > 0)
    .map((a) => `${c[a]} to ${a}`)
  return parts.length === 0 ? "no changes" : parts.join(", ")
}

/**
 * `No changes. Environment "x" matches its manifest.`, or, when errors stopped the planning, that
 * nothing was planned (an empty plan with errors does not mean the environment matches).
 */
export const noPlanChanges = (env: string, errors = 0): string =>
  errors > 0
    ? `Nothing planned for environment ${JSON.stringify(env)}: resolve the error(s) above first.`
    : `No changes. Environment ${JSON.stringify(env)} matches its manifest.`

/** `3 succeeded, 1 failed, 2 skipped, 0 refused in 4.2s` */
export const summaryTotals = (summary: Summary): string => {
  const c = countStatuses(summary.results)
  return `${c.succeeded} succeeded, ${c.failed} failed, ${c.skipped} skipped, ${c.refused} refused in ${formatDuration(summary.durationMs)}`
}

/** `Converged.` or `Not converged: 2 step(s) remain: a, b.` */
export const convergence = (summary: Summary): string => {
  if (summary.converged) return "Converged."
  const n = summary.remaining.length
  if (n === 0) return "Not converged."
  return `Not converged: ${n} step(s) remain: ${summary.remaining.map((s) => s.address).join(", ")}.`
}

/** `No changes applied. Environment "x" is in sync.` */
export const noSummaryChanges = (env: string): string =>
  `No changes applied. Environment ${JSON.stringify(env)} is in sync.`

/** True when the apply had nothing to do and the environment is in sync. */
export const isNoopSummary = (summary: Summary): boolean =>
  summary.results.length === 0 && summary.converged && summary.error === undefined
