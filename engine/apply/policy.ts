/**
 * How the executor treats failures: which reasons are retried, on what schedule, how long one attempt
 * and one pending wait may take. The manifest's `spec.policy` section sets the user-facing knobs.
 */
import * as Duration from "effect/Duration"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { section } from "../manifest/Section.ts"
import { DurationString } from "./duration.ts"

export const PolicySpec = Schema.Struct({
  retries: Schema.optional(Schema.Int.pipe(Schema.between(0, 20))).annotations({
    description: "retries per step for retryable failures (rate limits, outages, timeouts); default 5",
  }),
  stepTimeout: Schema.optional(DurationString).annotations({
    description: "longest one attempt of a step may take; default 10m",
  }),
  pendingTimeout: Schema.optional(DurationString).annotations({
    description: "longest a step may stay pending (provisioning, builds); default 30m",
  }),
  lockTimeout: Schema.optional(DurationString).annotations({
    description: "longest a database statement waits for a lock another session holds; default 30s",
  }),
  statementTimeout: Schema.optional(DurationString).annotations({
    description: "longest one database statement may run; default 10m",
  }),
  concurrency: Schema.optional(Schema.Int.pipe(Schema.between(1, 32))).annotations({
    description: "steps of one wave run at once; default 4",
  }),
  allowDestroy: Schema.optional(Schema.Boolean).annotations({
    description: "allow destructive steps (deleting add-ons, pruning vars, scaling to 0); default false",
  }),
})
export type PolicySpec = typeof PolicySpec.Type

export const policySection = section("policy", PolicySpec, "how the executor retries, times out and guards")

/** The executor's effective policy. */
export interface ExecPolicy {
  readonly retries: number
  readonly retryBase: Duration.Duration
  readonly retryCap: Duration.Duration
  readonly stepTimeout: Duration.Duration
  readonly pendingTimeout: Duration.Duration
  /** First wait before polling pending work again; each wait is 1.5× the last, up to `pollInterval`. */
  readonly pollInitial: Duration.Duration
  /** Longest wait between two polls of pending work. */
  readonly pollInterval: Duration.Duration
  /** Postgres `lock_timeout` on every connection the plugins open. */
  readonly lockTimeout: Duration.Duration
  /** Postgres `statement_timeout` on every connection the plugins open. */
  readonly statementTimeout: Duration.Duration
  readonly concurrency: number
  readonly allowDestroy: boolean
  readonly maxPasses: number
}

export const defaultPolicy: ExecPolicy = {
  retries: 5,
  retryBase: Duration.millis(250),
  retryCap: Duration.seconds(20),
  stepTimeout: Duration.minutes(10),
  pendingTimeout: Duration.minutes(30),
  pollInitial: Duration.millis(100),
  pollInterval: Duration.seconds(2),
  lockTimeout: Duration.seconds(30),
  statementTimeout: Duration.minutes(10),
  concurrency: 4,
  allowDestroy: false,
  maxPasses: 3,
}

/** The manifest's policy over the defaults; `--allow-destroy` can only widen, never narrow. */
export const policyFrom = (spec: PolicySpec | undefined, allowDestroyFlag: boolean): ExecPolicy => ({
  ...defaultPolicy,
  ...(spec?.retries === undefined ? {} : { retries: spec.retries }),
  ...(spec?.stepTimeout === undefined ? {} : { stepTimeout: spec.stepTimeout }),
  ...(spec?.pendingTimeout === undefined ? {} : { pendingTimeout: spec.pendingTimeout }),
  ...(spec?.lockTimeout === undefined ? {} : { lockTimeout: spec.lockTimeout }),
  ...(spec?.statementTimeout === undefined ? {} : { statementTimeout: spec.statementTimeout }),
  ...(spec?.concurrency === undefined ? {} : { concurrency: spec.concurrency }),
  allowDestroy: allowDestroyFlag || spec?.allowDestroy === true,
})

/** The named retry schedule: exponential from `retryBase`, capped at `retryCap`, jittered, bounded. */
export const retrySchedule = (policy: ExecPolicy) =>
  Schedule.exponential(policy.retryBase, 2).pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, policy.retryCap)),
    Schedule.jittered,
    // whole milliseconds: jitter yields fractions, which the virtual test clock cannot represent
    // (modifyDelay's first argument is the schedule's output, the uncapped exponential: use the delay)
    Schedule.modifyDelay((_, delay) => Duration.millis(Math.round(Duration.toMillis(delay)))),
    Schedule.intersect(Schedule.recurs(policy.retries)),
  )

/** The wait before poll number `n` (0-based): short at first, 1.5× longer each time, capped. */
export const pollDelay = (policy: ExecPolicy, n: number): Duration.Duration =>
  Duration.min(
    Duration.millis(Math.round(Duration.toMillis(policy.pollInitial) * 1.5 ** n)),
    policy.pollInterval,
  )

/**
 * Retries of failed attempts: the named schedule, but never sooner than the server's `Retry-After`
 * (bounded by the step timeout: a longer hint could never be honoured within the step).
 */
export const retryHonouringServer = (policy: ExecPolicy) =>
  Schedule.intersect(
    retrySchedule(policy),
    Schedule.identity<{ readonly retryAfterMs?: number | undefined }>().pipe(
      Schedule.addDelay((e) => Duration.min(Duration.millis(e.retryAfterMs ?? 0), policy.stepTimeout)),
    ),
  )
