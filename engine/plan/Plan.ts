/**
 * A plan: the ordered steps that would bring one environment to its manifest, plus what a saved plan
 * needs to detect staleness. Versioned so JSON consumers can rely on its shape.
 */
import * as Schema from "effect/Schema"
import { ResourceHealth, unhealthyOf } from "./Health.ts"
import { errorsOf, Problem } from "./Problem.ts"
import { flattenMembers, Step } from "./Step.ts"

export const planFormatVersion = 2 as const

export class Plan extends Schema.Class<Plan>("Plan")({
  kind: Schema.Literal("plan"),
  formatVersion: Schema.Literal(planFormatVersion),
  env: Schema.String,
  manifest: Schema.Struct({ file: Schema.String, digest: Schema.String }),
  createdAt: Schema.String,
  steps: Schema.Array(Step),
  warnings: Schema.Array(Schema.String),
  /** What stops this plan from being applied as it is (see Problem.ts); errors block an apply. */
  problems: Schema.optionalWith(Schema.Array(Problem), { default: () => [] }),
  /**
   * Per-resource health beside the plan (see Health.ts); absent when no plugin reports any. An
   * unhealthy resource makes `--detailed-exitcode` exit 2 even when nothing is to change.
   */
  health: Schema.optional(Schema.Array(ResourceHealth)),
  /** Fingerprint of everything observed, keyed with `nonce`; a saved plan is stale when it changes. */
  live: Schema.Struct({ fingerprint: Schema.String, nonce: Schema.String }),
  /** Present on a rollback's plan (`reconcile rollback`): to release `to`, else the previous eligible one. */
  rollback: Schema.optional(Schema.Struct({ to: Schema.optional(Schema.Number) })),
}) {
  /** Steps that change something. */
  get changes(): ReadonlyArray<Step> {
    return this.steps.filter((s) => s.action !== "noop")
  }
  get isEmpty(): boolean {
    return this.changes.length === 0
  }
  /** The resources that are health problems (a crashed dyno, a backup older than its limit). */
  get unhealthy(): ReadonlyArray<ResourceHealth> {
    return unhealthyOf(this.health ?? [])
  }
  /** The problems that block an apply. */
  get errors(): ReadonlyArray<Problem> {
    return errorsOf(this.problems)
  }
}

/** Counts per action, for totals lines; a group counts each of its members. */
export const countActions = (steps: ReadonlyArray<Step>) => {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, run: 0, noop: 0 }
  for (const s of flattenMembers(steps)) counts[s.action]++
  return counts
}
