/**
 * Where `release.promoteFrom` points: an environment (its manifest's app), an app by name, or a
 * stage of the app's pipeline; and the slug that app runs now. The pipeline is the app's own, or the
 * one `spec.pipeline` declares (it may be created in this very run, before the release wave).
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { loadRawSpec, PluginError, type RunContext } from "../../engine/index.ts"
import { appNameIn, appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { AppWeb, Coupling } from "../../services/heroku/releaseSchemas.ts"
import { currentRelease } from "../../services/heroku/releases.ts"

export interface PromotionSource {
  readonly appId: string
  readonly appName: string
  readonly release: { readonly id: string; readonly version: number; readonly slugId: string }
}

const Pipeline = Schema.Struct({ id: Schema.String })
const invalid = (detail: string) => PluginError.invalid(`promoteFrom: ${detail}`)

/** The app name of environment `env` when the manifests folder has one by that name. */
const envAppName = (ctx: RunContext, env: string): Effect.Effect<string | undefined, PluginError> =>
  !/^[\w-]+$/.test(env) || !existsSync(join(ctx.manifestDir, `${env}.yaml`))
    ? Effect.succeed(undefined)
    : loadRawSpec(ctx.manifestDir, env).pipe(
        Effect.map(appNameIn),
        Effect.mapError(() =>
          invalid(`the ${env} manifest does not load (run reconcile validate --env ${env})`),
        ),
      )

/** The pipeline to promote in: the app's own, else the declared one; null when neither exists yet. */
const pipelineOf = (app: string, ctx: RunContext) =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const mine = yield* api.find(appPath(app, "/pipeline-couplings"), Coupling)
    if (Option.isSome(mine)) return mine.value.pipeline.id
    const declared = (ctx.spec.pipeline as { readonly name?: string } | undefined)?.name
    if (declared === undefined)
      return yield* invalid(`${app} is not in a pipeline (declare spec.pipeline: { name, stage })`)
    const found = yield* api.find(`/pipelines/${encodeURIComponent(declared)}`, Pipeline)
    return Option.isSome(found) ? found.value.id : null
  })

/** The source app and the release it runs; a clear one-line error when there is none. */
export const promotionSource = (
  app: string,
  from: string,
  ctx: RunContext,
): Effect.Effect<PromotionSource, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const [pipelineId, named] = yield* Effect.all([pipelineOf(app, ctx), envAppName(ctx, from)], {
      concurrency: 2,
    })
    const byName = yield* api.find(appPath(named ?? from), AppWeb)
    const couplings =
      pipelineId === null ? [] : yield* api.list(`/pipelines/${pipelineId}/pipeline-couplings`, Coupling)
    const inPipeline = (id: string) => couplings.some((c) => c.app.id === id)
    const byStage = couplings.find((c) => c.stage === from)
    let source: typeof AppWeb.Type
    if (Option.isSome(byName) && (pipelineId === null || inPipeline(byName.value.id))) source = byName.value
    else if (byStage !== undefined) source = yield* api.get(`/apps/${byStage.app.id}`, AppWeb)
    else if (Option.isSome(byName))
      return yield* invalid(`${byName.value.name} (${from}) is not in the pipeline ${app} is in`)
    else return yield* invalid(`${from} is not an environment, an app, or a stage of the pipeline`)
    if (source.name === app) return yield* invalid(`${from} is this app itself`)
    const release = yield* currentRelease(source.id)
    if (release === null || release.slug === null)
      return yield* invalid(`${source.name} (${from}) has no slug to promote yet (deploy it first)`)
    return {
      appId: source.id,
      appName: source.name,
      release: { id: release.id, version: release.version, slugId: release.slug.id },
    }
  })
