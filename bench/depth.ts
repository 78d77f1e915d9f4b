/**
 * Sequential depth of a run's requests, counted causally rather than timed: every Heroku call is
 * issued at depth d + 1, where d is the number of calls the issuing fiber has waited for one after
 * another (a fiber forked for concurrent work inherits its parent's count; joining takes the larger).
 * Two calls started together are at the same depth however slowly a loaded machine starts them, so
 * the figure is the same on a quiet and a busy machine: the depth the code asks for, not the one a
 * clock happened to see. A list followed page by page counts one call per page.
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import { HerokuDataApi } from "../services/heroku/DataApi.ts"
import { HerokuApi, type HerokuApiShape } from "../services/heroku/HerokuApi.ts"

/** One call as the client made it. */
export interface CountedCall {
  readonly method: string
  readonly path: string
  readonly depth: number
}

const depthRef = FiberRef.unsafeMake(0, { fork: (d) => d, join: (parent, child) => Math.max(parent, child) })

const counting =
  (calls: Array<CountedCall>, method: string, path: string) =>
  <A, E>(call: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.gen(function* () {
      const depth = (yield* FiberRef.get(depthRef)) + 1
      calls.push({ method, path, depth })
      const value = yield* call
      yield* FiberRef.update(depthRef, (d) => Math.max(d, depth))
      return value
    })

const wrap = (api: HerokuApiShape, calls: Array<CountedCall>): HerokuApiShape => ({
  get: (path, schema) => counting(calls, "GET", path)(api.get(path, schema)),
  find: (path, schema) => counting(calls, "GET", path)(api.find(path, schema)),
  list: (path, item, range) => counting(calls, "GET", path)(api.list(path, item, range)),
  send: (method, path, body, schema) => counting(calls, method, path)(api.send(method, path, body, schema)),
})

/** The deepest chain of calls recorded (0 for none). */
export const depthOfCalls = (calls: ReadonlyArray<CountedCall>): number =>
  Math.max(0, ...calls.map((c) => c.depth))

/**
 * `layer` with its HerokuApi and HerokuDataApi counting every call into `calls` (cleared by the
 * caller between runs). Each run starts at depth 0.
 */
export const depthCounting = <E, R>(
  layer: Layer.Layer<HerokuApi | HerokuDataApi, E, R>,
  calls: Array<CountedCall>,
): Layer.Layer<HerokuApi | HerokuDataApi, E, R> =>
  Layer.mergeAll(
    Layer.effect(
      HerokuApi,
      Effect.map(HerokuApi, (api) => wrap(api, calls)),
    ),
    Layer.effect(
      HerokuDataApi,
      Effect.map(HerokuDataApi, (api) => wrap(api, calls)),
    ),
  ).pipe(Layer.provide(layer))
