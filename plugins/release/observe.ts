/**
 * What the release plugin sees: the locally built artifact (desired) and, live, the current release,
 * the source it was built from, the frontend digest the running app reports at its health path, and,
 * when promoting, the release the source pipeline stage runs.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { RunState } from "../../engine/index.ts"
import { PluginError, type RunContext } from "../../engine/index.ts"
import { type Artifact, localArtifact } from "../../services/artifact/artifact.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { AppWeb, Coupling } from "../../services/heroku/releaseSchemas.ts"
import { appAndCurrent, currentRelease } from "../../services/heroku/releases.ts"
import { healthUrl, probe } from "../../services/probe.ts"
import { type StartRelease, startRelease } from "./onFailure.ts"
import type { ReleaseSpec } from "./spec.ts"

export interface PromotionSource {
  readonly pipelineId: string
  readonly appId: string
  readonly appName: string
  readonly release: { readonly id: string; readonly version: number; readonly slugId: string }
}

export interface ReleaseLive {
  readonly app: string
  readonly appId: string | null
  readonly current: {
    readonly version: number
    readonly slugId: string | null
    /** The source checksum of the build that made the running slug. */
    readonly checksum: string | null
  } | null
  /** What the running app reports at its health path. */
  readonly servedDigest: string | null
  /** Null when promoting. */
  readonly local: Artifact | null
  readonly promotion: PromotionSource | null
  /** The release current when the run started (for release.onFailure: rollback). */
  readonly start?: StartRelease | null
}

const promotionSource = (
  appId: string,
  stage: string,
): Effect.Effect<PromotionSource, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const mine = yield* api.find(`/apps/${appId}/pipeline-couplings`, Coupling)
    if (Option.isNone(mine))
      return yield* Effect.fail(PluginError.invalid(`promoteFrom: the app is not in a pipeline`))
    const couplings = yield* api.list(`/pipelines/${mine.value.pipeline.id}/pipeline-couplings`, Coupling)
    const source = couplings.find((c) => c.stage === stage)
    if (source === undefined)
      return yield* Effect.fail(PluginError.invalid(`promoteFrom: the pipeline has no app at stage ${stage}`))
    const app = yield* api.get(`/apps/${source.app.id}`, AppWeb)
    const release = yield* currentRelease(app.id)
    if (release === null || release.slug === null)
      return yield* Effect.fail(
        PluginError.invalid(`promoteFrom: ${app.name} (${stage}) has no slug to promote`),
      )
    return {
      pipelineId: mine.value.pipeline.id,
      appId: app.id,
      appName: app.name,
      release: { id: release.id, version: release.version, slugId: release.slug.id },
    }
  })

export const observeRelease = (
  spec: ReleaseSpec,
  ctx: RunContext,
): Effect.Effect<ReleaseLive, PluginError, HerokuApi | RunState> =>
  Effect.gen(function* () {
    const name = yield* appNameOf(ctx, "release")
    // the local build and the live reads (app, releases) at once
    const [local, { app, current: live }] = yield* Effect.all(
      [spec.promoteFrom === undefined ? localArtifact(spec, ctx) : Effect.succeed(null), appAndCurrent(name)],
      { concurrency: "unbounded" },
    )
    if (Option.isNone(app))
      return { app: name, appId: null, current: null, servedDigest: null, local, promotion: null }
    const health = ctx.spec.health as { readonly path?: string } | undefined
    const url = app.value.web_url
    const served =
      url === null || url === undefined ? null : yield* probe(healthUrl(url, health?.path ?? "/health"))
    const promotion =
      spec.promoteFrom === undefined ? null : yield* promotionSource(app.value.id, spec.promoteFrom)
    const start = yield* startRelease(
      name,
      live === null
        ? null
        : { id: live.release.id, version: live.release.version, slugId: live.release.slug?.id ?? null },
    )
    return {
      start,
      app: name,
      appId: app.value.id,
      current:
        live === null
          ? null
          : {
              version: live.release.version,
              slugId: live.release.slug?.id ?? null,
              checksum: live.checksum,
            },
      servedDigest: served?.frontendDigest ?? null,
      local,
      promotion,
    }
  })
