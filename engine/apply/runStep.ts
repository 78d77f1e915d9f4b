/**
 * Runs one step: each attempt under the step timeout, retryable failures retried on the named
 * schedule, Pending polled until Done or the pending deadline. A retry after a failure that may have
 * hidden a landed write first asks the plugin's `landed` and does not resend what it finds. Whatever
 * happens becomes a StepResult; this never fails.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { isRetryableReason, mayHaveLanded, PluginError } from "../errors.ts"
import type { PlannedStep } from "../plan/planner.ts"
import type { ApplyResult, Done, RunContext } from "../plugin/Plugin.ts"
import { type ExecPolicy, pollDelay, retryHonouringServer } from "./policy.ts"
import { StepResult } from "./Summary.ts"

const withRetries = <A, R>(
  attempt: Effect.Effect<A, PluginError, R>,
  policy: ExecPolicy,
  address: string,
  onFailure: (e: PluginError) => Effect.Effect<void> = () => Effect.void,
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
    Effect.tapError(onFailure),
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

/** The message of a step whose lost answer's write the plugin's `landed` found: it was not sent again. */
const foundApplied = (message: string | undefined) =>
  `found applied after a lost answer, not sent again${message ? `: ${message}` : ""}`

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
    // set when an attempt failed in a way that may have hidden a write the server made
    const uncertain = yield* Ref.make(false)
    const found = yield* Ref.make(false)
    const send = Ref.update(attempts, (n) => n + 1).pipe(
      Effect.zipRight(Effect.suspend(() => planned.plugin.apply(planned.change, ctx))),
    )
    const { landed } = planned.plugin
    const attempt =
      landed === undefined
        ? send
        : Effect.flatMap(Ref.get(uncertain), (unsure) =>
            unsure
              ? Effect.flatMap(landed(planned.change, ctx), (seen) =>
                  Option.isSome(seen)
                    ? Ref.set(found, true).pipe(
                        Effect.zipRight(Effect.logInfo("the lost answer's write landed; not sending again")),
                        Effect.as(seen.value),
                      )
                    : Ref.set(uncertain, false).pipe(Effect.zipRight(send)),
                )
              : send,
          )
    const onFailure = (e: PluginError) => (mayHaveLanded(e.reason) ? Ref.set(uncertain, true) : Effect.void)
    const [elapsed, outcome] = yield* withRetries(attempt, policy, step.address, onFailure).pipe(
      Effect.flatMap((first) => pollUntilDone(first, policy, step.address)),
      Effect.either,
      Effect.timed,
    )
    const n = yield* Ref.get(attempts)
    const durationMs = Math.round(Duration.toMillis(elapsed))
    if (outcome._tag === "Right") {
      const { outputs } = outcome.right
      const message = (yield* Ref.get(found)) ? foundApplied(outcome.right.message) : outcome.right.message
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
