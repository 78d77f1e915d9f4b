/**
 * The structured result of an apply: one result per step, whether the environment converged, and what
 * was left. Plain data; the exit code and every renderer derive from it.
 */
import * as Schema from "effect/Schema"
import { ErrorReason } from "../errors.ts"
import { Action } from "../plan/Action.ts"
import { ResourceHealth } from "../plan/Health.ts"
import { Wave } from "../plan/order.ts"
import { Plan } from "../plan/Plan.ts"
import { Step } from "../plan/Step.ts"

export const StepStatus = Schema.Literal("succeeded", "failed", "skipped", "refused")
export type StepStatus = typeof StepStatus.Type

export class StepResult extends Schema.Class<StepResult>("StepResult")({
  address: Schema.String,
  plugin: Schema.String,
  wave: Wave,
  action: Action,
  status: StepStatus,
  attempts: Schema.Number,
  durationMs: Schema.Number,
  message: Schema.optional(Schema.String),
  reason: Schema.optional(ErrorReason),
  pass: Schema.Number,
  outputs: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  /** For a group: the addresses of the changes this one result applied together. */
  members: Schema.optional(Schema.Array(Schema.String)),
}) {}

/** Version 2: group steps (`members`) in the plan and one result per group. */
export const summaryFormatVersion = 2 as const

export class Summary extends Schema.Class<Summary>("Summary")({
  kind: Schema.Literal("summary"),
  formatVersion: Schema.Literal(summaryFormatVersion),
  env: Schema.String,
  startedAt: Schema.String,
  durationMs: Schema.Number,
  plan: Plan,
  results: Schema.Array(StepResult),
  passes: Schema.Number,
  converged: Schema.Boolean,
  /** Steps the final re-plan still wanted (empty when converged). */
  remaining: Schema.Array(Step),
  /** Run-level failure that is not a step's (e.g. destructive changes refused, observation failed). */
  error: Schema.optional(Schema.String),
  warnings: Schema.Array(Schema.String),
  /** Per-resource health as last observed (after the final re-plan); absent when none was reported. */
  health: Schema.optional(Schema.Array(ResourceHealth)),
  /** Facts worth printing last: the app URL, a backup id and its restore command... */
  outputs: Schema.Record({ key: Schema.String, value: Schema.String }),
}) {
  get ok(): boolean {
    return this.converged && this.error === undefined && this.results.every((r) => r.status === "succeeded")
  }
}

export const countStatuses = (results: ReadonlyArray<StepResult>) => {
  const counts = { succeeded: 0, failed: 0, skipped: 0, refused: 0 }
  for (const r of results) counts[r.status]++
  return counts
}
