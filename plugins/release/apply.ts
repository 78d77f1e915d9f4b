/**
 * Applying a release: upload the source and build it (`POST /sources`, PUT, `POST /apps/{app}/builds`),
 * or promote the slug another pipeline stage runs. Both re-check live state first, so running the
 * step twice (e.g. after a lost answer) neither builds nor promotes twice. Those reads stay here, not
 * in a `landed` hook: the first attempt needs them too, since a run killed mid-build leaves a build
 * in flight that the next run's plan does not see (observe reads the current release only).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { RunState } from "../../engine/index.ts"
import {
  type ApplyResult,
  done,
  PluginError,
  pending,
  type RunContext,
  redactedValuesIn,
} from "../../engine/index.ts"
import { tarballFor } from "../../services/artifact/artifact.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import {
  Build,
  Coupling,
  Promotion,
  PromotionTarget,
  Release,
  Source,
} from "../../services/heroku/releaseSchemas.ts"
import { current } from "../../services/heroku/releases.ts"
import { followBuild, followRelease, showProgress, streamWaitOf } from "./follow.ts"
import type { OnFailure } from "./onFailure.ts"
import type { ReleaseSpec } from "./spec.ts"

export interface DeployChange extends OnFailure {
  readonly kind: "deploy"
  readonly app: string
  readonly spec: ReleaseSpec
  readonly checksum: string
  readonly version: string | null
  readonly frontendMismatch: string | null
}

export interface PromoteChange extends OnFailure {
  readonly kind: "promote"
  readonly app: string
  readonly sourceAppId: string
  readonly sourceReleaseId: string
  readonly sourceSlugId: string
}

export type ReleaseChange = DeployChange | PromoteChange

const upload = (url: string, body: Buffer) =>
  Effect.tryPromise({
    try: (signal) => fetch(url, { method: "PUT", body, signal }),
    catch: (e) =>
      new PluginError({ reason: "Unavailable", detail: `uploading the source failed: ${String(e)}` }),
  }).pipe(
    Effect.filterOrFail(
      (res) => res.ok,
      (res) =>
        new PluginError({ reason: "Unavailable", detail: `uploading the source failed: HTTP ${res.status}` }),
    ),
  )

const followOptions = (ctx: RunContext) => ({
  secrets: redactedValuesIn(ctx.spec),
  streamWaitMs: streamWaitOf(ctx.spec),
})

export const deploy = (
  change: DeployChange,
  ctx: RunContext,
): Effect.Effect<ApplyResult<HerokuApi>, PluginError, HerokuApi | RunState> =>
  Effect.gen(function* () {
    if (change.frontendMismatch !== null)
      return yield* Effect.fail(PluginError.invalid(change.frontendMismatch))
    const api = yield* HerokuApi
    // builds first, then the current release: a build (say, from an attempt whose answer was lost)
    // that finishes between the two reads is then seen as current, never missed by both
    const builds = yield* api.list(`/apps/${change.app}/builds`, Build, { field: "started_at" })
    const inFlight = builds.find((b) => b.status === "pending" && b.source_blob.checksum === change.checksum)
    if (inFlight !== undefined)
      return pending(
        `building ${change.app}`,
        followBuild(change.app, inFlight.id, followOptions(ctx), inFlight.output_stream_url),
      )
    const live = yield* current(change.app)
    if (live?.checksum === change.checksum)
      return done(`v${live.release.version} already runs this source`, {
        release: `v${live.release.version}`,
      })
    const tarball = yield* tarballFor(change.checksum, change.spec, ctx)
    const source = yield* api.send("POST", "/sources", {}, Source)
    yield* upload(source.source_blob.put_url, tarball)
    const build = yield* api.send(
      "POST",
      `/apps/${change.app}/builds`,
      {
        source_blob: {
          url: source.source_blob.get_url,
          checksum: change.checksum,
          ...(change.version === null ? {} : { version: change.version }),
        },
      },
      Build,
    )
    yield* showProgress(build.output_stream_url)
    return pending(
      `building ${change.app} (${(tarball.length / 1024).toFixed(0)} KiB source)`,
      followBuild(change.app, build.id, followOptions(ctx), build.output_stream_url),
    )
  })

const followPromotion = (
  change: PromoteChange,
  appId: string,
  promotionId: string,
): Effect.Effect<ApplyResult<HerokuApi>, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const targets = yield* api.list(`/pipeline-promotions/${promotionId}/promotion-targets`, PromotionTarget)
    const target = targets.find((t) => t.app.id === appId)
    if (target === undefined || target.status === "pending")
      return pending(`promoting to ${change.app}`, followPromotion(change, appId, promotionId))
    if (target.status !== "succeeded" || target.release === null)
      return yield* Effect.fail(
        PluginError.invalid(`promotion failed: ${target.error_message ?? target.status}`),
      )
    // the promotion is verified: the new release runs exactly the slug the source ran
    const release = yield* api.get(`/apps/${appId}/releases/${target.release.id}`, Release)
    if (release.slug?.id !== change.sourceSlugId)
      return yield* Effect.fail(
        PluginError.invalid(
          `promotion not verified: v${release.version} runs slug ${release.slug?.id ?? "(none)"}, the source ran ${change.sourceSlugId}`,
        ),
      )
    return yield* followRelease(change.app, target.release.id, "")
  })

export const promote = (
  change: PromoteChange,
): Effect.Effect<ApplyResult<HerokuApi>, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const live = yield* current(change.app)
    if (live?.release.slug?.id === change.sourceSlugId)
      return done(`v${live.release.version} already runs that slug`, { release: `v${live.release.version}` })
    const coupling = yield* api.find(`/apps/${change.app}/pipeline-couplings`, Coupling)
    if (Option.isNone(coupling))
      return yield* Effect.fail(PluginError.invalid(`promoteFrom: ${change.app} is not in a pipeline`))
    const appId = coupling.value.app.id
    const promotion = yield* api.send(
      "POST",
      "/pipeline-promotions",
      {
        pipeline: { id: coupling.value.pipeline.id },
        source: { app: { id: change.sourceAppId }, release: { id: change.sourceReleaseId } },
        targets: [{ app: { id: appId } }],
      },
      Promotion,
    )
    return pending(`promoting to ${change.app}`, followPromotion(change, appId, promotion.id))
  })

/** Applies a release change: a build from the source, or a promotion of another stage's slug. */
export const applyRelease = (change: ReleaseChange, ctx: RunContext) =>
  change.kind === "deploy" ? deploy(change, ctx) : promote(change)
