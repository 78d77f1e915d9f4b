/**
 * HerokuApi: the one service every Heroku plugin talks through, over @effect/platform's HttpClient.
 * It sends the v3 Accept header and the token, maps statuses to error reasons, always sends an
 * explicit Range on lists and follows Next-Range, paces itself when RateLimit-Remaining runs low,
 * and never retries by itself: the executor owns retries, and a mutating request whose outcome is
 * unknown is reported as such so the plugin re-observes before trying again.
 * Its parts: exchange.ts (one request and its answer, headers, pacing, the bound), failures.ts
 * (statuses and lost answers as errors), pages.ts (Range pagination), coalesce.ts (identical reads
 * in flight share one request); this file wires them into the service.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type { PluginError } from "../../engine/index.ts"
import { makeCoalescer } from "./coalesce.ts"
import type { HerokuConfig } from "./config.ts"
import { type Method, makeExchange } from "./exchange.ts"
import { decodeAs } from "./failures.ts"
import { type ListRange, type Page, readPages } from "./pages.ts"

export type { Method } from "./exchange.ts"

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
    range?: ListRange,
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

/** By default a list longer than this many pages is refused rather than followed (1,000 items a page). */
export const defaultMaxPages = 1000

export const make = (config: HerokuConfig) =>
  Effect.gen(function* () {
    const exchange = yield* makeExchange(config)
    const maxPages = config.maxPages ?? defaultMaxPages

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
      fetchPage(path).pipe(Effect.flatMap((page) => decodeAs(`GET ${path}`, schema)(page.json)))

    const find: HerokuApiShape["find"] = (path, schema) =>
      get(path, schema).pipe(
        Effect.map(Option.some),
        Effect.catchIf(
          (e) => e.reason === "NotFound",
          () => Effect.succeed(Option.none()),
        ),
      )

    const list: HerokuApiShape["list"] = (path, item, range) =>
      readPages(path, item, range, maxPages, fetchPage)

    // a write starts a new generation of reads: no later read may join one sent before it
    const send: HerokuApiShape["send"] = (method, path, payload, schema) =>
      Effect.sync(() => reads.clear()).pipe(
        Effect.zipRight(exchange(method, path, { body: payload })),
        Effect.flatMap(({ json }) => decodeAs(`${method} ${path}`, schema)(json)),
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
