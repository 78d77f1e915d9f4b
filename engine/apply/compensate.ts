/**
 * Compensation (automatic rollback): after a failed pass, each step of it whose plugin can undo it
 * (`Plugin.compensate`, e.g. the release plugin with `release.onFailure: rollback`) gets its undo
 * run as a step by the executor, newest first; then the plugins that take part in a rollback after
 * those waves (health) are observed afresh in rollback mode and their steps run: the previous
 * release must be current and serving again. The engine knows only the contract, never the plugins.
 */
import * as Effect from "effect/Effect"
import { waveIndex } from "../plan/order.ts"
import { diffAll, observe, type PlannedStep, toStep } from "../plan/planner.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import { runOrdered } from "./ordered.ts"
import { type ExecPolicy, retrySchedule } from "./policy.ts"
import type { StepResult } from "./Summary.ts"

/** Why a later undo is skipped: undoing an older change over a newer one left in place is worse. */
const undoInOrder = "a rollback undoes newest first and stops at a failure"

export interface Compensation {
  readonly results: ReadonlyArray<StepResult>
  /** What the summary says: what was undone and how the verification went; none when nothing was. */
  readonly report: string | undefined
}

export const compensate = <R>(options: {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  /** The steps this pass ran, in order. */
  readonly ran: ReadonlyArray<PlannedStep<R>>
  readonly ctx: RunContext
  readonly policy: ExecPolicy
  readonly fingerprintKey: string
  readonly pass: number
}): Effect.Effect<Compensation, never, R> =>
  Effect.gen(function* () {
    const { ctx, policy, pass } = options
    const undo = [...options.ran].reverse().flatMap((s): ReadonlyArray<PlannedStep<R>> => {
      const c = s.plugin.compensate?.(s.change, ctx)
      return c === undefined
        ? []
        : [{ step: toStep(s.plugin, c, options.fingerprintKey), plugin: s.plugin, change: c.change }]
    })
    if (undo.length === 0) return { results: [], report: undefined }
    yield* Effect.logWarning(
      `the pass failed: compensating with ${undo.map((u) => u.step.address).join(", ")}`,
    )
    const results: Array<StepResult> = [...(yield* runOrdered(undo, ctx, policy, pass, undoInOrder))]
    const undone = results.filter((r) => r.status === "succeeded")
    const failed = results.filter((r) => r.status !== "succeeded")
    const said = (rs: ReadonlyArray<StepResult>) => rs.map((r) => r.message ?? r.address).join("; ")
    if (failed.length > 0)
      return { results, report: `the rollback failed too (${said(failed)}); the environment needs attention` }
    // verify the rollback as `reconcile rollback` does: in rollback mode (no build digest expected)
    const after = Math.max(...undo.map((u) => waveIndex(u.step.wave)))
    const verifiers = options.plugins.filter(
      (p) =>
        p.inRollback === "declared" && waveIndex(p.wave) > after && ctx.spec[p.section.key] !== undefined,
    )
    const verifyCtx: RunContext = { ...ctx, rollback: {} }
    const seen = yield* observe(verifiers, verifyCtx, retrySchedule(policy), policy.stepTimeout).pipe(
      Effect.either,
    )
    if (seen._tag === "Left")
      return {
        results,
        report: `rolled back (${said(undone)}), but its health could not be observed: ${seen.left.message}`,
      }
    const checks = diffAll(seen.right, verifyCtx, options.fingerprintKey).planned
    results.push(...(yield* runOrdered(checks, verifyCtx, policy, pass, undoInOrder)))
    const unhealthy = results.filter((r) => r.status !== "succeeded")
    return {
      results,
      report:
        unhealthy.length === 0
          ? `rolled back: ${said(undone)}; the previous release is current and healthy`
          : `rolled back (${said(undone)}), but it is not healthy either: ${said(unhealthy)}`,
    }
  })
