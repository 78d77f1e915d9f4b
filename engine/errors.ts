/**
 * The engine's error vocabulary. A plugin fails with a `PluginError` carrying a `reason`; the executor,
 * not the plugin, decides from that reason whether to retry. The other errors end a run with a
 * distinct exit code (see cli/exitCodes.ts).
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/** Why an operation failed; the executor maps each reason to retryable or terminal. */
export const ErrorReason = Schema.Literal(
  "NotFound",
  "Unauthorized",
  "RateLimited",
  "Conflict",
  "Unavailable",
  "Invalid",
  "Timeout",
)
export type ErrorReason = typeof ErrorReason.Type

/** Reasons worth another attempt: the same request may well succeed later. */
export const isRetryableReason = (reason: ErrorReason): boolean =>
  reason === "RateLimited" || reason === "Unavailable" || reason === "Timeout"

/**
 * Failures after which a write may still have taken effect: a timeout (the request may have been
 * sent) and an outage answer (a 5xx, a dropped connection: the server may have acted before it). A
 * 429 or any 4xx is a refusal, so nothing landed. The executor asks the plugin's `landed` after these.
 */
export const mayHaveLanded = (reason: ErrorReason): boolean =>
  reason === "Timeout" || reason === "Unavailable"

/** A plugin operation (observe or apply) failed. `message` must never contain a secret value. */
export class PluginError extends Schema.TaggedError<PluginError>()("PluginError", {
  reason: ErrorReason,
  detail: Schema.String,
  address: Schema.optional(Schema.String),
  /** The server's `Retry-After`: the executor's next attempt waits at least this long. */
  retryAfterMs: Schema.optional(Schema.Number),
}) {
  /** The one constructor for a terminal `Invalid` failure (bad input the user must fix). */
  static invalid(detail: string, address?: string): PluginError {
    return new PluginError(
      address === undefined ? { reason: "Invalid", detail } : { reason: "Invalid", detail, address },
    )
  }

  override get message(): string {
    return this.address ? `${this.address}: ${this.detail}` : this.detail
  }
}

/** True for a `PluginError` (by its tag, never `instanceof`). */
export const isPluginError = (u: unknown): u is PluginError => Predicate.isTagged(u, "PluginError")

/** A saved plan no longer matches the live state or the manifest it was made from. */
export class StalePlanError extends Schema.TaggedError<StalePlanError>()("StalePlanError", {
  detail: Schema.String,
}) {
  override get message(): string {
    return `stale plan: ${this.detail}`
  }
}

/** Another apply holds the environment's lock. */
export class LockHeldError extends Schema.TaggedError<LockHeldError>()("LockHeldError", {
  env: Schema.String,
  holder: Schema.String,
}) {
  override get message(): string {
    return `another apply holds the lock for environment "${this.env}" (${this.holder}); try again when it has finished`
  }
}

/** A problem the user must fix (bad flag combination, unreadable plan file, ...). */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  detail: Schema.String,
}) {
  override get message(): string {
    return this.detail
  }
}
