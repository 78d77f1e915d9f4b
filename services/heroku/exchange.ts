/**
 * One request to the Platform API and its whole answer: the v3 Accept header, the token, an explicit
 * Range when given, RateLimit-Remaining read from every answer into the pacer (each request waits
 * its turn when the budget runs low), statuses mapped to failures, and one bound on the request and
 * its body together. Never retries: the executor owns retries.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type { PluginError } from "../../engine/index.ts"
import type { HerokuConfig } from "./config.ts"
import { cutOff, late, noAnswer, statusFailure } from "./failures.ts"
import { makePacer } from "./pace.ts"

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE"

export interface ExchangeOptions {
  readonly body?: unknown
  readonly range?: string
}

/** An answered request: the response (status, headers) and its JSON body. */
export interface Answer {
  readonly res: HttpClientResponse.HttpClientResponse
  readonly json: unknown
}

export type Exchange = (
  method: Method,
  path: string,
  options?: ExchangeOptions,
) => Effect.Effect<Answer, PluginError>

/** Default bound on one request, answer body included. */
const defaultRequestTimeout = Duration.seconds(30)

/** The exchange function of one client (one pacer, one budget), over the HttpClient in context. */
export const makeExchange = (config: HerokuConfig) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const requestTimeout = Duration.decode(config.requestTimeout ?? defaultRequestTimeout)
    const within = `no complete answer within ${Duration.format(requestTimeout)}`
    const remaining = yield* Ref.make(Number.POSITIVE_INFINITY)
    const pace = yield* makePacer(remaining)

    const call = (method: Method, path: string, options: ExchangeOptions) => {
      const what = `${method} ${path}`
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
          Effect.fail(noAnswer(what, method !== "GET", e)),
        ),
        Effect.tap((res) => {
          const left = Number(res.headers["ratelimit-remaining"])
          return Number.isFinite(left) ? Ref.set(remaining, left) : Effect.void
        }),
        Effect.flatMap((res) => (res.status < 400 ? Effect.succeed(res) : statusFailure(what, res))),
        Effect.withSpan("heroku.request", { attributes: { method, path } }),
      )
    }

    /**
     * One request and its whole answer body, bounded together from when it is sent: a slow drip is
     * a timeout too, but waiting for its turn under a low budget is not.
     */
    const exchange: Exchange = (method, path, options = {}) => {
      const what = `${method} ${path}`
      const mutating = method !== "GET"
      const answered = call(method, path, options).pipe(
        Effect.flatMap((res) =>
          res.json.pipe(
            Effect.mapError((e) => cutOff(what, mutating, e)),
            Effect.map((json): Answer => ({ res, json })),
          ),
        ),
        Effect.timeoutFail({ duration: requestTimeout, onTimeout: () => late(what, mutating, within) }),
      )
      return Effect.zipRight(pace, answered)
    }
    return exchange
  })
