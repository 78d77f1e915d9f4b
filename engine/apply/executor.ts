/**
 * The executor: runs a plan wave by wave and converges. Within a pass, a wave whose predecessors
 * changed something is re-observed and re-diffed first (a database that did not exist at plan time
 * can be migrated in the same run). A failed wave skips every later wave. After a pass the whole
 * environment is observed again; the run has converged only when that plan is empty.
 */
import * as Effect from "effect/Effect"
import { type Wave, waveIndex, waves } from "../plan/order.ts"
import { errorsOf, type Problem } from "../plan/Problem.ts"
import { diffAll, observe, type PlannedStep } from "../plan/planner.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import { compensate } from "./compensate.ts"
import { runOrdered, skipped } from "./ordered.ts"
import { type ExecPolicy, retryHonouringServer } from "./policy.ts"
import { runStep } from "./runStep.ts"
import { StepResult } from "./Summary.ts"

export interface PassOutcome {
  readonly results: ReadonlyArray<StepResult>
  readonly failed: boolean
  /** Set when the failed pass was compensated (automatic rollback): what the summary says. */
  readonly compensated?: string
}

const observeFailed = <R>(plugin: AnyPlugin<R>, pass: number, detail: string) =>
  new StepResult({
    address: `${plugin.name}/(observe)`,
    plugin: plugin.name,
    wave: plugin.wave,
    action: "run",
    status: "failed",
    attempts: 1,
    durationMs: 0,
    message: detail,
    pass,
  })

/** A problem a mid-run re-diff found: the wave fails with it, as the plan would have refused it. */
const problemFailed = (problem: Problem, wave: Wave, pass: number) =>
  new StepResult({
    address: problem.address,
    plugin: problem.plugin,
    wave,
    action: "run",
    status: "failed",
    attempts: 0,
    durationMs: 0,
    message: problem.message,
    reason: "Invalid",
    pass,
  })

/** One pass over the waves, starting from `planned` (the latest plan of `plugins`). */
export const executePass = <R>(options: {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly planned: ReadonlyArray<PlannedStep<R>>
  readonly ctx: RunContext
  readonly policy: ExecPolicy
  readonly fingerprintKey: string
  readonly pass: number
}): Effect.Effect<PassOutcome, never, R> =>
  Effect.gen(function* () {
    const { ctx, policy, pass } = options
    const results: Array<StepResult> = []
    const ran: Array<PlannedStep<R>> = []
    let failedWave: string | undefined
    let changed = false
    for (const wave of waves) {
      const plugins = options.plugins.filter((p) => p.wave === wave)
      if (plugins.length === 0) continue
      let steps: ReadonlyArray<PlannedStep<R>> = options.planned.filter((p) => p.step.wave === wave)
      if (failedWave !== undefined) {
        for (const s of steps)
          results.push(skipped(s.step, pass, `skipped: an earlier wave failed (${failedWave})`))
        continue
      }
      if (changed) {
        const fresh = yield* observe(plugins, ctx, retryHonouringServer(policy), policy.stepTimeout).pipe(
          Effect.either,
        )
        if (fresh._tag === "Left") {
          results.push(observeFailed(plugins[0]!, pass, fresh.left.message))
          failedWave = wave
          continue
        }
        // the earlier waves are applied; the later ones are still as this pass planned them
        const later = options.planned
          .filter((p) => waveIndex(p.step.wave) > waveIndex(wave))
          .map((p) => p.step)
        const diffed = diffAll(fresh.right, ctx, options.fingerprintKey, { later })
        const errors = errorsOf(diffed.problems)
        if (errors.length > 0) {
          for (const e of errors) results.push(problemFailed(e, wave, pass))
          failedWave = `${wave}: ${errors.map((e) => e.address).join(", ")}`
          continue
        }
        steps = diffed.planned
      }
      if (steps.length === 0) continue
      yield* Effect.logInfo(`wave ${wave}: ${steps.length} step(s)`)
      const waveResults = plugins.some((p) => p.ordered === true)
        ? yield* runOrdered(steps, ctx, policy, pass)
        : yield* Effect.forEach(steps, (s) => runStep(s, ctx, policy, pass), {
            concurrency: policy.concurrency,
          })
      results.push(...waveResults)
      ran.push(
        ...steps.filter(
          (_, i) => waveResults[i]?.status === "succeeded" || waveResults[i]?.status === "failed",
        ),
      )
      if (waveResults.some((r) => r.status === "succeeded")) changed = true
      const failures = waveResults.filter((r) => r.status !== "succeeded")
      if (failures.length > 0) failedWave = `${wave}: ${failures.map((r) => r.address).join(", ")}`
    }
    if (failedWave === undefined) return { results, failed: false }
    const undone = yield* compensate({ ...options, ran })
    results.push(...undone.results)
    return { results, failed: true, ...(undone.report === undefined ? {} : { compensated: undone.report }) }
  })
