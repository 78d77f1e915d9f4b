/**
 * One recorded run of an environment (an apply or a rollback) as the history table keeps it, and
 * the JSON that `reconcile history --output json` prints. Plain data: Schema classes, so the JSON
 * form decodes back with `RunHistory` / `RunDetail`.
 */
import * as Schema from "effect/Schema"

export const RunKind = Schema.Literal("apply", "rollback", "restore")
export type RunKind = typeof RunKind.Type

export const RunOutcome = Schema.Literal("succeeded", "failed")
export type RunOutcome = typeof RunOutcome.Type

/** Who or what ran it: the user, and in CI the workflow run's URL and the commit. */
export class Actor extends Schema.Class<Actor>("Actor")({
  user: Schema.String,
  ciRunUrl: Schema.optional(Schema.String),
  commit: Schema.optional(Schema.String),
}) {}

/** A run without its summary (what a listing shows). */
export class RunRecord extends Schema.Class<RunRecord>("RunRecord")({
  id: Schema.String,
  env: Schema.String,
  kind: RunKind,
  startedAt: Schema.String,
  finishedAt: Schema.String,
  actor: Actor,
  manifestDigest: Schema.NullOr(Schema.String),
  outcome: RunOutcome,
  /** The Heroku release the environment runs after the run, e.g. "v12". */
  release: Schema.NullOr(Schema.String),
  /** The backup the run took (its name or file), if any. */
  backup: Schema.NullOr(Schema.String),
}) {}

/** `reconcile history --env NAME --output json`. */
export class RunHistory extends Schema.Class<RunHistory>("RunHistory")({
  kind: Schema.Literal("run-history"),
  formatVersion: Schema.Literal(1),
  env: Schema.String,
  runs: Schema.Array(RunRecord),
}) {}

/** `reconcile history --env NAME --run ID --output json`: the run and its secret-free summary JSON. */
export class RunDetail extends Schema.Class<RunDetail>("RunDetail")({
  kind: Schema.Literal("run"),
  formatVersion: Schema.Literal(1),
  run: RunRecord,
  summary: Schema.Unknown,
}) {}

/** A run id that sorts by time: `20261201T181500Z-3f9a1c`. */
export const runIdFor = (startedAt: Date, random: string): string =>
  `${startedAt
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}-${random}`
