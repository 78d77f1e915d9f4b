/**
 * Apply and converge: refuse destructive steps unless allowed, run passes of the executor, and after
 * each pass plan again. Converged means the fresh plan is empty; the passes are bounded.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { Plan } from "../plan/Plan.ts"
import { errorsOf, problemsLine } from "../plan/Problem.ts"
import { plan as planNow } from "../plan/planEnv.ts"
import type { PlannedStep } from "../plan/planner.ts"
import type { Step } from "../plan/Step.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import { executePass } from "./executor.ts"
import type { ExecPolicy } from "./policy.ts"
import { StepResult, Summary, summaryFormatVersion } from "./Summary.ts"

export interface ConvergeOptions<R> {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly plan: Plan
  readonly planned: ReadonlyArray<PlannedStep<R>>
  readonly ctx: RunContext
  readonly policy: ExecPolicy
  readonly fingerprintKey: string
}

const notRun = (step: Step, status: "refused" | "skipped", message: string) =>
  new StepResult({
    address: step.address,
    plugin: step.plugin,
    wave: step.wave,
    action: step.action,
    status,
    attempts: 0,
    durationMs: 0,
    message,
    pass: 1,
  })

const refuseDestructive = (steps: ReadonlyArray<Step>) => {
  const destructive = steps.filter((s) => s.destructive)
  const results = steps.map((s) =>
    s.destructive
      ? notRun(
          s,
          "refused",
          "destructive change refused: pass --allow-destroy or set spec.policy.allowDestroy",
        )
      : notRun(s, "skipped", "not applied: the plan contains refused destructive changes"),
  )
  const error =
    `refused ${destructive.length} destructive change(s) (${destructive.map((s) => s.address).join(", ")}); ` +
    "nothing was applied. Re-run with --allow-destroy, or set spec.policy.allowDestroy: true, to allow them."
  return { results, error }
}

/** Applies the plan and converges; never fails: every failure is in the summary. */
export const converge = <R>(options: ConvergeOptions<R>): Effect.Effect<Summary, never, R> =>
  Effect.gen(function* () {
    const { ctx, policy, plan } = options
    const startMs = yield* Clock.currentTimeMillis
    // the health last observed: the plan's, then each re-plan's
    let health = plan.health
    const finish = (fields: {
      results: ReadonlyArray<StepResult>
      passes: number
      converged: boolean
      remaining: ReadonlyArray<Step>
      error?: string
    }) =>
      Clock.currentTimeMillis.pipe(
        Effect.map(
          (endMs) =>
            new Summary({
              kind: "summary",
              formatVersion: summaryFormatVersion,
              env: ctx.env,
              startedAt: new Date(startMs).toISOString(),
              durationMs: endMs - startMs,
              plan,
              results: fields.results,
              passes: fields.passes,
              converged: fields.converged,
              remaining: fields.remaining,
              ...(fields.error === undefined ? {} : { error: fields.error }),
              warnings: plan.warnings,
              ...(health === undefined ? {} : { health }),
              outputs: Object.assign({}, ...fields.results.map((r) => r.outputs ?? {})),
            }),
        ),
      )

    if (plan.errors.length > 0) {
      const error = `the plan has ${plan.errors.length} problem(s), so nothing was applied: ${problemsLine(plan.problems)}`
      const results = plan.steps.map((s) => notRun(s, "skipped", "not applied: the plan has problems"))
      return yield* finish({ results, passes: 0, converged: false, remaining: plan.steps, error })
    }

    if (!policy.allowDestroy && options.planned.some((p) => p.step.destructive)) {
      const { results, error } = refuseDestructive(plan.steps)
      return yield* finish({ results, passes: 0, converged: false, remaining: plan.steps, error })
    }

    const results: Array<StepResult> = []
    let planned = options.planned
    for (let pass = 1; ; pass++) {
      if (planned.length === 0)
        return yield* finish({ results, passes: pass - 1, converged: true, remaining: [] })
      const outcome = yield* executePass({ ...options, planned, pass })
      results.push(...outcome.results)
      if (outcome.compensated !== undefined) {
        // a rolled-back run ends here: planning again would deploy the failed release once more
        const failed = outcome.results.filter((r) => r.status === "failed").map((r) => r.address)
        const error = `${[...new Set(failed)].join(", ")} failed; ${outcome.compensated}`
        return yield* finish({ results, passes: pass, converged: false, remaining: [], error })
      }
      const fresh = yield* planNow({
        plugins: options.plugins,
        ctx,
        fingerprintKey: options.fingerprintKey,
        manifest: plan.manifest,
        policy,
      }).pipe(Effect.either)
      if (fresh._tag === "Left") {
        const error = `could not observe after applying: ${fresh.left.message}`
        return yield* finish({ results, passes: pass, converged: false, remaining: [], error })
      }
      planned = fresh.right.planned
      health = fresh.right.plan.health
      if (errorsOf(fresh.right.problems).length > 0) {
        const error = `stopped: the plan now has problems: ${problemsLine(fresh.right.problems)}`
        const remaining = planned.map((p) => p.step)
        return yield* finish({ results, passes: pass, converged: false, remaining, error })
      }
      if (planned.length === 0)
        return yield* finish({ results, passes: pass, converged: true, remaining: [] })
      const remaining = planned.map((p) => p.step)
      if (outcome.failed) return yield* finish({ results, passes: pass, converged: false, remaining })
      if (pass >= policy.maxPasses) {
        const error = `did not converge after ${pass} passes; still planned: ${remaining.map((s) => s.address).join(", ")}`
        return yield* finish({ results, passes: pass, converged: false, remaining, error })
      }
      yield* Effect.logInfo(`pass ${pass} left ${remaining.length} step(s); starting pass ${pass + 1}`)
    }
  })
