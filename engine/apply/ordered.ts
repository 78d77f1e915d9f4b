/** Running steps in order: an ordered wave, and a compensation's undo and verification. */
import * as Effect from "effect/Effect"
import type { PlannedStep } from "../plan/planner.ts"
import type { Step } from "../plan/Step.ts"
import type { RunContext } from "../plugin/Plugin.ts"
import type { ExecPolicy } from "./policy.ts"
import { runStep } from "./runStep.ts"
import { StepResult } from "./Summary.ts"

/** A step that did not run, and why. */
export const skipped = (step: Step, pass: number, message: string) =>
  new StepResult({
    address: step.address,
    plugin: step.plugin,
    wave: step.wave,
    action: step.action,
    status: "skipped",
    attempts: 0,
    durationMs: 0,
    message,
    pass,
    ...(step.members === undefined ? {} : { members: step.members.map((m) => m.address) }),
  })

/**
 * Steps one at a time, in order; after the first failure the rest are skipped, saying `why` (an
 * ordered wave, or a compensation undoing newest first).
 */
export const runOrdered = <R>(
  steps: ReadonlyArray<PlannedStep<R>>,
  ctx: RunContext,
  policy: ExecPolicy,
  pass: number,
  why = "this wave applies in order",
): Effect.Effect<ReadonlyArray<StepResult>, never, R> =>
  Effect.gen(function* () {
    const results: Array<StepResult> = []
    let failed: string | undefined
    for (const s of steps) {
      if (failed !== undefined) {
        results.push(skipped(s.step, pass, `skipped: ${failed} failed before it (${why})`))
        continue
      }
      const result = yield* runStep(s, ctx, policy, pass)
      results.push(result)
      if (result.status !== "succeeded") failed = result.address
    }
    return results
  })
