/**
 * Run history wiring (issue 17): an apply, and a rollback (a run in rollback mode), is recorded
 * through the CLI's `recordApply` hook, under the run's lock and with its services.
 */
import type { Summary } from "../engine/apply/Summary.ts"
import type { RunContext } from "../engine/plugin/Plugin.ts"
import { runOfSummary } from "../history/fromSummary.ts"
import { type FinishedRun, recordRun } from "../history/record.ts"

/** The CLI's `recordApply` hook: a run in rollback mode is recorded as a rollback. */
export const recordApply = (ctx: RunContext, summary: Summary) =>
  recordRun(ctx, process.env, runOfSummary(summary, ctx.rollback === undefined ? "apply" : "rollback"))

/** The `backup restore` command's `record` hook. */
export const recordRestore = (ctx: RunContext, run: FinishedRun) => recordRun(ctx, process.env, run)
