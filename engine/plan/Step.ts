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
}) {}
