/** Observing the pipeline: the app's coupling (with its pipeline's name) and whether the declared pipeline exists. */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { RunContext } from "../../engine/index.ts"
import { appNameOf, appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { Coupling } from "../../services/heroku/releaseSchemas.ts"
import type { PipelineLive } from "./diff.ts"
import type { PipelineSpec } from "./spec.ts"

export const PipelineInfo = Schema.Struct({ id: Schema.String, name: Schema.String })

/** The pipeline by name or id, if it exists. */
export const findPipeline = (key: string) =>
  Effect.flatMap(HerokuApi, (api) => api.find(`/pipelines/${encodeURIComponent(key)}`, PipelineInfo))

/** The app's coupling, if any (none when the app does not exist either). */
export const findCoupling = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.find(appPath(app, "/pipeline-couplings"), Coupling))

const observe = Effect.fn("pipeline.observe")(function* (desired: PipelineSpec, app: string) {
  const [pipeline, coupling] = yield* Effect.all([findPipeline(desired.name), findCoupling(app)], {
    concurrency: 2,
  })
  const current = Option.isNone(coupling)
    ? null
    : {
        pipeline:
          Option.isSome(pipeline) && pipeline.value.id === coupling.value.pipeline.id
            ? pipeline.value.name
            : Option.match(yield* findPipeline(coupling.value.pipeline.id), {
                onNone: () => coupling.value.pipeline.id,
                onSome: (p) => p.name,
              }),
        stage: coupling.value.stage,
      }
  const live: PipelineLive = { app, pipelineExists: Option.isSome(pipeline), coupling: current }
  return live
})

/** The app's place in a pipeline. */
export const observePipeline = (desired: PipelineSpec, ctx: RunContext) =>
  appNameOf(ctx, "pipeline").pipe(Effect.flatMap((app) => observe(desired, app)))
