/**
 * HerokuApi: the one service every Heroku plugin talks through, over @effect/platform's HttpClient.
 * It sends the v3 Accept header and the token, maps statuses to error reasons, always sends an
 * explicit Range on lists and follows Next-Range, paces itself when RateLimit-Remaining runs low,
 * and never retries by itself: the executor owns retries, and a mutating request whose outcome is
 * unknown is reported as such so the plugin re-observes before trying again.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import { type ErrorReason, PluginError } from "../../engine/index.ts"
import { makeCoalescer } from "./coalesce.ts"
import type { HerokuConfig } from "./config.ts"
import { makePacer, retryAfterMs } from "./pace.ts"

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE"

export interface HerokuApiShape {
  /** GET one resource. */
  readonly get: <A, I>(path: string, schema: Schema.Schema<A, I>) => Effect.Effect<A, PluginError>
  /** GET one resource; 404 is `Option.none()`, not an error. */
  readonly find: <A, I>(
    path: string,
    schema: Schema.Schema<A, I>,
  ) => Effect.Effect<Option.Option<A>, PluginError>
  /** GET a whole list, page by page (explicit Range, then Next-Range). */
  readonly list: <A, I>(
    path: string,
    item: Schema.Schema<A, I>,
    range?: { readonly field: string; readonly max?: number },
  ) => Effect.Effect<ReadonlyArray<A>, PluginError>
  /** A mutating request. A lost answer fails with "outcome unknown": re-observe before retrying. */
  readonly send: <A, I>(
    method: Exclude<Method, "GET">,
    path: string,
    body: unknown,
    schema: Schema.Schema<A, I>,
  ) => Effect.Effect<A, PluginError>
}

export class HerokuApi extends Context.Tag("reconcile/HerokuApi")<HerokuApi, HerokuApiShape>() {}

const reasonFor = (status: number): ErrorReason =>
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

/** One answered GET: its JSON body and, for a partial list, the Range of the next page. */
interface Page {
  readonly json: unknown
  readonly next: string | undefined
}

/** Default bound on one request, answer body included. */
const defaultRequestTimeout = Duration.seconds(30)
/** By default a list longer than this many pages is refused rather than followed (1,000 items a page). */
export const defaultMaxPages = 1000

export const make = (config: HerokuConfig) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const requestTimeout = Duration.decode(config.requestTimeout ?? defaultRequestTimeout)
    const within = `no complete answer within ${Duration.format(requestTimeout)}`
    const maxPages = config.maxPages ?? defaultMaxPages
    const remaining = yield* Ref.make(Number.POSITIVE_INFINITY)

    const pace = yield* makePacer(remaining)

    const failure = (what: string, reason: ErrorReason, detail: string, retryAfter?: number) =>
      new PluginError({
        reason,
        detail: `${what}: ${detail}`,
        ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
      })

    const transportError = (what: string, mutating: boolean, e: HttpClientError.HttpClientError) =>
      failure(
        what,
        "Unavailable",
        mutating
          ? `no answer (${e.reason}); the change may or may not have been applied`
          : `no answer (${e.reason})`,
      )

    const call = (
      method: Method,
      path: string,
      options: { readonly body?: unknown; readonly range?: string } = {},
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, PluginError> => {
      const what = `${method} ${path}`
      const mutating = method !== "GET"
      let request = HttpClientRequest.make(method)(`${config.baseUrl}${path}`).pipe(
        HttpClientRequest.setHeaders({
          Accept: "application/vnd.heroku+json; version=3",
          Authorization: `Bearer ${config.token}`,
          "User-Agent": "reconcile",
        }),
      )
      if (options.range !== undefined) request = HttpClientRequest.setHeader(request, "Range", options.range)
      if (options.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, options.body)
      return client.execute(request).pipe(
        Effect.catchTag("RequestError", "ResponseError", (e) =>
          Effect.fail(transportError(what, mutating, e)),
        ),
        Effect.tap((res) => {
          const left = Number(res.headers["ratelimit-remaining"])
          return Number.isFinite(left) ? Ref.set(remaining, left) : Effect.void
        }),
        Effect.flatMap((res) =>
          res.status < 400
            ? Effect.succeed(res)
            : res.json.pipe(
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
              ),
        ),
        Effect.withSpan("heroku.request", { attributes: { method, path } }),
      )
    }

    const decode =
      <A, I>(what: string, schema: Schema.Schema<A, I>) =>
      (json: unknown) =>
        Schema.decodeUnknown(schema)(json).pipe(
          Effect.mapError((e) =>
            failure(what, "Invalid", `unexpected response shape: ${e.message.split("\n")[0]}`),
          ),
        )

    const body = (what: string, mutating: boolean, res: HttpClientResponse.HttpClientResponse) =>
      res.json.pipe(
        Effect.mapError((e) =>
          failure(
            what,
            "Unavailable",
            mutating
              ? `answer cut off (${e.reason}); the change may or may not have been applied`
              : `answer cut off or unreadable (${e.reason})`,
          ),
        ),
      )

    /**
     * One request and its whole answer body, bounded together from when it is sent: a slow drip is
     * a timeout too, but waiting for its turn under a low budget is not.
     */
    const exchange = (
      method: Method,
      path: string,
      options: { readonly body?: unknown; readonly range?: string } = {},
    ) => {
      const what = `${method} ${path}`
      const mutating = method !== "GET"
      const answered = call(method, path, options).pipe(
        Effect.flatMap((res) => Effect.map(body(what, mutating, res), (json) => ({ res, json }))),
        Effect.timeoutFail({
          duration: requestTimeout,
          onTimeout: () =>
            failure(
              what,
              "Timeout",
              mutating ? `${within}; the change may or may not have been applied` : within,
            ),
        }),
      )
      return Effect.zipRight(pace, answered)
    }

    // identical GETs in flight at once share one request (observers reading the same resource)
    const reads = makeCoalescer<Page, PluginError>()
    const fetchPage = (path: string, range?: string): Effect.Effect<Page, PluginError> =>
      reads.run(
        `${path}\n${range ?? ""}`,
        exchange("GET", path, range === undefined ? {} : { range }).pipe(
          Effect.map(
            ({ res, json }): Page => ({
              json,
              next: res.status === 206 ? res.headers["next-range"] : undefined,
            }),
          ),
        ),
      )

    const get: HerokuApiShape["get"] = (path, schema) =>
      fetchPage(path).pipe(Effect.flatMap((page) => decode(`GET ${path}`, schema)(page.json)))

    const find: HerokuApiShape["find"] = (path, schema) =>
      get(path, schema).pipe(
        Effect.map(Option.some),
        Effect.catchIf(
          (e) => e.reason === "NotFound",
          () => Effect.succeed(Option.none()),
        ),
      )

    const list: HerokuApiShape["list"] = (path, item, range) =>
      Effect.gen(function* () {
        const items: Array<Schema.Schema.Type<typeof item>> = []
        const seen = new Set<string>()
        let next: string | undefined = `${range?.field ?? "id"} ..; max=${range?.max ?? 1000}`
        while (next !== undefined) {
          if (seen.size >= maxPages) {
            return yield* Effect.fail(
              failure(
                `GET ${path}`,
                "Invalid",
                `more than ${maxPages} pages; refusing to follow Next-Range further`,
              ),
            )
          }
          seen.add(next)
          const page: Page = yield* fetchPage(path, next)
          const got = yield* decode(`GET ${path}`, Schema.Array(item))(page.json)
          items.push(...got)
          next = page.next
          // a partial answer must make progress: new items and a Range not asked for before
          if (next !== undefined && (got.length === 0 || seen.has(next))) {
            return yield* Effect.fail(
              failure(
                `GET ${path}`,
                "Invalid",
                got.length === 0
                  ? "pagination does not advance (a partial page with no items)"
                  : `pagination does not advance (Next-Range "${next.slice(0, 80)}" was already requested)`,
              ),
            )
          }
        }
        return items
      })

    const send: HerokuApiShape["send"] = (method, path, payload, schema) =>
      Effect.sync(() => reads.clear()).pipe(
        Effect.zipRight(exchange(method, path, { body: payload })),
        Effect.flatMap(({ json }) => decode(`${method} ${path}`, schema)(json)),
      )

    return HerokuApi.of({ get, find, list, send })
  })

/** The service for a given configuration, over the HttpClient in context. */
export const layer = (config: HerokuConfig): Layer.Layer<HerokuApi, never, HttpClient.HttpClient> =>
  Layer.effect(HerokuApi, make(config))

/** A HerokuApi whose every call fails with `error` (e.g. no token): commands that never call it still work. */
export const unavailable = (error: PluginError): HerokuApiShape => ({
  get: () => Effect.fail(error),
  find: () => Effect.fail(error),
  list: () => Effect.fail(error),
  send: () => Effect.fail(error),
})
