/**
 * Applying the pipeline step: find or create the pipeline, then couple the app to the stage, move
 * it to the stage, or move it from another pipeline. Each part re-reads first, so a retry after a
 * lost answer neither creates a second pipeline nor fails on an existing coupling. The reads stay in
 * apply rather than in a `landed` hook: its writes need the pipeline's and the coupling's ids, which
 * the plan does not carry.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { done } from "../../engine/index.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { Coupling } from "../../services/heroku/releaseSchemas.ts"
import type { PipelineChange } from "./diff.ts"
import { findCoupling, findPipeline, PipelineInfo } from "./observe.ts"

/** Couples the app as declared; a no-op when it already is. */
export const applyPipeline = Effect.fn("pipeline.apply")(function* (change: PipelineChange) {
  const api = yield* HerokuApi
  const found = yield* findPipeline(change.pipeline)
  const pipeline = Option.isSome(found)
    ? found.value
    : yield* api.send("POST", "/pipelines", { name: change.pipeline }, PipelineInfo)
  const coupling = yield* findCoupling(change.app)
  const where = `${change.app} at ${change.stage} in ${change.pipeline}`
  if (Option.isSome(coupling) && coupling.value.pipeline.id === pipeline.id) {
    if (coupling.value.stage === change.stage) return done(`${where} already`)
    yield* api.send("PATCH", `/pipeline-couplings/${coupling.value.id}`, { stage: change.stage }, Coupling)
    return done(`moved ${where}`)
  }
  if (Option.isSome(coupling))
    yield* api.send("DELETE", `/pipeline-couplings/${coupling.value.id}`, {}, Coupling)
  yield* api.send(
    "POST",
    "/pipeline-couplings",
    { app: change.app, pipeline: pipeline.id, stage: change.stage },
    Coupling,
  )
  return done(`coupled ${where}`, { pipeline: `${change.pipeline} (${change.stage})` })
})
