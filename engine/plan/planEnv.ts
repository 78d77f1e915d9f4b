/**
 * `plan()`: the one way a plan is made — by the CLI (dry-run and apply), by the executor's re-plans
 * after each pass, and by the benchmarks. Observe every plugin (retried and bounded by the policy),
 * diff in wave order, and wrap the result as plan data.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { type ExecPolicy, retryHonouringServer } from "../apply/policy.ts"
import type { PluginError } from "../errors.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import type { Plan } from "./Plan.ts"
import type { Problem } from "./Problem.ts"
import { diffAll, makePlan, type Observation, observe, type PlannedStep } from "./planner.ts"

export interface PlanInput<R> {
  /** The active plugins (those whose section the spec declares). */
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly ctx: RunContext
  /** Keys the fingerprints of secret values and of the live state. */
  readonly fingerprintKey: string
  readonly manifest: { readonly file: string; readonly digest: string }
  /** Retries and bounds each observation; without it an observation is tried once, unbounded. */
  readonly policy?: ExecPolicy
  /** A saved plan's nonce, to compare its fingerprint with this one's. */
  readonly nonce?: string
}

export interface Planned<R> {
  readonly plan: Plan
  readonly observations: ReadonlyArray<Observation<R>>
  readonly planned: ReadonlyArray<PlannedStep<R>>
  readonly problems: ReadonlyArray<Problem>
}

export const plan = <R>(input: PlanInput<R>): Effect.Effect<Planned<R>, PluginError, R> =>
  Effect.gen(function* () {
    const { policy, ctx } = input
    const observations = yield* observe(
      input.plugins,
      ctx,
      policy === undefined ? undefined : retryHonouringServer(policy),
      policy?.stepTimeout,
    )
    const { planned, problems } = diffAll(observations, ctx, input.fingerprintKey)
    const now = new Date(yield* Clock.currentTimeMillis)
    const made = makePlan({
      env: ctx.env,
      spec: ctx.spec,
      manifest: input.manifest,
      observations,
      planned,
      problems,
      ctx,
      now,
      ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
    })
    return { plan: made, observations, planned, problems }
  }).pipe(Effect.withSpan("plan"))
