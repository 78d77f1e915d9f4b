/**
 * Per-resource health: what each live resource looks like beside the plan (an add-on's state, a
 * process type's dynos, the latest backup's age, the migration level, the reference-data version,
 * the frontend digest served). Plain data in the plan and the summary, so the renderers, JSON and
 * the dashboard share it. An `unhealthy` resource is a health problem: `--detailed-exitcode`
 * reports it with exit 2, as it reports drift.
 */
import * as Schema from "effect/Schema"

/** `progressing`: on its way (a dyno starting, an add-on provisioning); `unknown`: not observable now. */
export const HealthState = Schema.Literal("healthy", "progressing", "unhealthy", "unknown")
export type HealthState = typeof HealthState.Type

export const HealthFact = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null)
export type HealthFact = typeof HealthFact.Type

export class ResourceHealth extends Schema.Class<ResourceHealth>("ResourceHealth")({
  /** What it is about, e.g. `dynos/web`, `addons/DATABASE`, `backup/latest`. Unique within a plan. */
  resource: Schema.String,
  /** The plugin that observed it. */
  plugin: Schema.String,
  state: HealthState,
  /** The facts in a few words, e.g. `1 up, 1 crashed`. */
  detail: Schema.String,
  /** The facts as data (counts, ages, versions), for JSON consumers and the dashboard. */
  facts: Schema.optional(Schema.Record({ key: Schema.String, value: HealthFact })),
}) {}

/** The resources that are health problems. */
export const unhealthyOf = (health: ReadonlyArray<ResourceHealth>): ReadonlyArray<ResourceHealth> =>
  health.filter((h) => h.state === "unhealthy")
