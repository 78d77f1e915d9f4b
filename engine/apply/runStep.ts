/**
 * Runs one step: each attempt under the step timeout, retryable failures retried on the named
 * schedule, Pending polled until Done or the pending deadline. Whatever happens becomes a StepResult;
 * this never fails.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import { isRetryableReason, PluginError } from "../errors.ts"
import type { PlannedStep } from "../plan/planner.ts"
import type { ApplyResult, Done, RunContext } from "../plugin/Plugin.ts"
import { type ExecPolicy, pollDelay, retryHonouringServer } from "./policy.ts"
import { StepResult } from "./Summary.ts"

const withRetries = <A, R>(
  attempt: Effect.Effect<A, PluginError, R>,
  policy: ExecPolicy,
  address: string,
): Effect.Effect<A, PluginError, R> =>
  attempt.pipe(
    Effect.timeoutFail({
      duration: policy.stepTimeout,
      onTimeout: () =>
        new PluginError({
          reason: "Timeout",
          detail: `no result within ${Duration.format(policy.stepTimeout)}`,
          address,
        }),
    }),
    Effect.tapError((e) =>
      Effect.logWarning(`attempt failed (${e.reason}): ${e.detail}`).pipe(
        Effect.annotateLogs("step", address),
      ),
    ),
    Effect.retry({ schedule: retryHonouringServer(policy), while: (e) => isRetryableReason(e.reason) }),
  )

const pollUntilDone = <R>(
  first: ApplyResult<R>,
  policy: ExecPolicy,
  address: string,
): Effect.Effect<Done, PluginError, R> => {
  if (first._tag === "Done") return Effect.succeed(first)
  let last = first.message
  // polls start short and back off, so quick work is seen done soon and slow work is not hammered;
  // an interval the plugin read from the server (Retry-After, Polling-Interval) is honoured as given
  const loop = (p: ApplyResult<R>, n: number): Effect.Effect<Done, PluginError, R> =>
    p._tag === "Done"
      ? Effect.succeed(p)
      : Effect.logInfo(`pending: ${p.message}`).pipe(
          Effect.annotateLogs("step", address),
          Effect.tap(() => {
            last = p.message
          }),
          Effect.zipRight(Effect.sleep(p.interval ?? pollDelay(policy, n))),
          Effect.zipRight(withRetries(p.check, policy, address)),
          Effect.flatMap((next) => loop(next, n + 1)),
        )
  return loop(first, 0).pipe(
    Effect.timeoutFail({
      duration: policy.pendingTimeout,
      onTimeout: () =>
        new PluginError({
          reason: "Timeout",
          detail: `still pending after ${Duration.format(policy.pendingTimeout)}: ${last}`,
          address,
        }),
    }),
  )
}

/** Applies one planned step and reports what happened. */
export const runStep = <R>(
  planned: PlannedStep<R>,
  ctx: RunContext,
  policy: ExecPolicy,
  pass: number,
): Effect.Effect<StepResult, never, R> => {
  const { step } = planned
  const base = {
    address: step.address,
    plugin: step.plugin,
    wave: step.wave,
    action: step.action,
    pass,
    ...(step.members === undefined ? {} : { members: step.members.map((m) => m.address) }),
  }
  if (step.destructive && !policy.allowDestroy) {
    return Effect.succeed(
      new StepResult({
        ...base,
        status: "refused",
        attempts: 0,
        durationMs: 0,
        message: "destructive change refused: pass --allow-destroy or set spec.policy.allowDestroy",
      }),
    )
  }
  return Effect.gen(function* () {
    const attempts = yield* Ref.make(0)
    const attempt = Ref.update(attempts, (n) => n + 1).pipe(
      Effect.zipRight(Effect.suspend(() => planned.plugin.apply(planned.change, ctx))),
    )
    const [elapsed, outcome] = yield* withRetries(attempt, policy, step.address).pipe(
      Effect.flatMap((first) => pollUntilDone(first, policy, step.address)),
      Effect.either,
      Effect.timed,
    )
    const n = yield* Ref.get(attempts)
    const durationMs = Math.round(Duration.toMillis(elapsed))
    if (outcome._tag === "Right") {
      const { message, outputs } = outcome.right
      return new StepResult({
        ...base,
        status: "succeeded",
        attempts: n,
        durationMs,
        ...(message ? { message } : {}),
        ...(outputs ? { outputs } : {}),
      })
    }
    const e = outcome.left
    return new StepResult({
      ...base,
      status: "failed",
      attempts: n,
      durationMs,
      message: e.detail,
      reason: e.reason,
    })
  }).pipe(Effect.annotateLogs("step", step.address), Effect.withSpan(`${step.plugin}.apply`))
}
