/**
 * How HerokuApi's failures read: an HTTP status as an error reason, Heroku's error body
 * (`{id, message}`) in the detail, and the wording of a lost, cut-off or late answer, which for a
 * mutating request says the change may or may not have been applied (re-observe before retrying).
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { type ErrorReason, PluginError } from "../../engine/index.ts"
import { retryAfterMs } from "./pace.ts"

export const reasonFor = (status: number): ErrorReason =>
  status === 401 || status === 403
    ? "Unauthorized"
    : status === 404
      ? "NotFound"
      : status === 409 || status === 423
        ? "Conflict"
        : status === 429
          ? "RateLimited"
          : status >= 500
            ? "Unavailable"
            : "Invalid"

const ErrorBody = Schema.Struct({
  id: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
})

/** A failure of the request `what` ("GET /apps/x"). */
export const failure = (what: string, reason: ErrorReason, detail: string, retryAfter?: number) =>
  new PluginError({
    reason,
    detail: `${what}: ${detail}`,
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  })

const unknownOutcome = "the change may or may not have been applied"

/** No answer at all (connection refused, reset). */
export const noAnswer = (what: string, mutating: boolean, e: HttpClientError.HttpClientError) =>
  failure(
    what,
    "Unavailable",
    mutating ? `no answer (${e.reason}); ${unknownOutcome}` : `no answer (${e.reason})`,
  )

/** An answer whose body could not be read whole. */
export const cutOff = (what: string, mutating: boolean, e: HttpClientError.HttpClientError) =>
  failure(
    what,
    "Unavailable",
    mutating
      ? `answer cut off (${e.reason}); ${unknownOutcome}`
      : `answer cut off or unreadable (${e.reason})`,
  )

/** No complete answer within the request's bound (`within` says the bound). */
export const late = (what: string, mutating: boolean, within: string) =>
  failure(what, "Timeout", mutating ? `${within}; ${unknownOutcome}` : within)

/** A 4xx or 5xx answer as its failure, with Heroku's error id and message when the body has them. */
export const statusFailure = (what: string, res: HttpClientResponse.HttpClientResponse) =>
  res.json.pipe(
    Effect.flatMap(Schema.decodeUnknown(ErrorBody)),
    Effect.orElseSucceed(() => ({ id: undefined, message: undefined })),
    Effect.flatMap((body) =>
      Effect.fail(
        failure(
          what,
          reasonFor(res.status),
          `${res.status} ${body.id ?? "error"}: ${body.message ?? ""}`.trim(),
          retryAfterMs(res.headers["retry-after"]),
        ),
      ),
    ),
  )

/** Decodes an answer's JSON; a shape we do not expect is Invalid, with the first line of why. */
export const decodeAs =
  <A, I>(what: string, schema: Schema.Schema<A, I>) =>
  (json: unknown) =>
    Schema.decodeUnknown(schema)(json).pipe(
      Effect.mapError((e) =>
        failure(what, "Invalid", `unexpected response shape: ${e.message.split("\n")[0]}`),
      ),
    )
