/**
 * The one envelope every plugin change is wrapped in. It is plain data: what the renderers show, what
 * JSON output carries, and what a saved plan stores. The plugin's typed change stays beside it in the
 * planner, never in here.
 */
import * as Schema from "effect/Schema"
import { Action } from "./Action.ts"
import { Wave } from "./order.ts"

/** A secret shown only by a short keyed fingerprint, which changes when the value changes. */
export class SensitiveValue extends Schema.TaggedClass<SensitiveValue>()("Sensitive", {
  fingerprint: Schema.String,
}) {}

export const Scalar = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null, SensitiveValue)
export type Scalar = typeof Scalar.Type

/** What a step shows as its before or after: a scalar or a flat map of scalars. */
export const DisplayValue = Schema.Union(Scalar, Schema.Record({ key: Schema.String, value: Scalar }))
export type DisplayValue = typeof DisplayValue.Type

/** One change inside a group step: shown on its own line, applied with the rest of its group. */
export class StepMember extends Schema.Class<StepMember>("StepMember")({
  /** Where this member lands, e.g. `config/JWT_SECRET`. */
  address: Schema.String,
  action: Action,
  before: Schema.optional(DisplayValue),
  after: Schema.optional(DisplayValue),
  sensitive: Schema.Boolean,
  destructive: Schema.Boolean,
  reason: Schema.String,
}) {}

export class Step extends Schema.Class<Step>("Step")({
  /** Where the change lands, e.g. `config/JWT_SECRET`. Unique within a plan. */
  address: Schema.String,
  plugin: Schema.String,
  wave: Wave,
  action: Action,
  before: Schema.optional(DisplayValue),
  after: Schema.optional(DisplayValue),
  sensitive: Schema.Boolean,
  destructive: Schema.Boolean,
  /** Why the step is needed, in the user's terms. */
  reason: Schema.String,
  /** Extra facts worth showing (e.g. "runs outside a transaction"). */
  notes: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  /**
   * Present on a group: the changes this one step applies together (one PATCH, one batch, one
   * transaction). The executor applies the group once; the summary has one result for it.
   */
  members: Schema.optional(Schema.Array(StepMember)),
}) {}

/** The addresses a step stands for: its members' for a group, else its own. */
export const memberAddresses = (step: Step): ReadonlyArray<string> =>
  step.members === undefined ? [step.address] : step.members.map((m) => m.address)

/** Every change shown on its own line: a group's members as steps of their own, other steps as they are. */
export const flattenMembers = (steps: ReadonlyArray<Step>): ReadonlyArray<Step> =>
  steps.flatMap((s) => {
    if (s.members === undefined) return [s]
    const { members: _, ...envelope } = s
    return s.members.map((m) => new Step({ ...envelope, ...m, notes: [] }))
  })
