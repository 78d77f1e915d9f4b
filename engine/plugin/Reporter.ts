/**
 * Reporters: code that tells the outside world about a run (GitHub deployments, PR comments, drift
 * issues, job summaries) without being part of it. A reporter never fails a run: whatever it could
 * not deliver comes back as notes, which the CLI prints after the summary.
 */
import type * as Effect from "effect/Effect"
import type { Summary } from "../apply/Summary.ts"
import type { Problem } from "../manifest/Problem.ts"
import type { Plan } from "../plan/Plan.ts"

export interface ReportContext {
  readonly env: string
  readonly mode: "dry-run" | "apply"
  /** What the user asked for with `--report` (e.g. "github-pr-comment"), beyond the automatic ones. */
  readonly requested: ReadonlyArray<string>
}

export interface Finished {
  readonly plan: Plan
  /** Present after an apply. */
  readonly summary?: Summary
  readonly exitCode: number
}

export interface Reporter<R> {
  readonly name: string
  /** The `--report` values this reporter understands, for `--help` and validation. */
  readonly kinds: ReadonlyArray<string>
  /** An apply is about to start (the plan is known, nothing applied yet). */
  readonly started?: (ctx: ReportContext, plan: Plan) => Effect.Effect<ReadonlyArray<string>, never, R>
  /** The run ended with a plan (dry-run) or a summary (apply). Returns notes about what failed to report. */
  readonly finished?: (
    ctx: ReportContext,
    outcome: Finished,
  ) => Effect.Effect<ReadonlyArray<string>, never, R>
  /** The manifest was invalid (e.g. to emit `::error file=...,line=...::` annotations). */
  readonly manifestProblems?: (
    problems: ReadonlyArray<Problem>,
  ) => Effect.Effect<ReadonlyArray<string>, never, R>
}
