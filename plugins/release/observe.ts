/**
 * What the release plugin sees: the locally built artifact (desired) and, live, the current release,
 * the source it was built from, the frontend digest the running app reports at its health path, and,
 * when promoting, the release the source environment runs (promotion.ts).
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { PluginError, RunContext, RunState } from "../../engine/index.ts"
import { type Artifact, localArtifact } from "../../services/artifact/artifact.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { appAndCurrent } from "../../services/heroku/releases.ts"
import { healthUrl, probe } from "../../services/probe.ts"
import { type StartRelease, startRelease } from "./onFailure.ts"
import { type PromotionSource, promotionSource } from "./promotion.ts"
import type { ReleaseSpec } from "./spec.ts"

export type { PromotionSource }

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
    const promotion =
      spec.promoteFrom === undefined ? null : yield* promotionSource(name, spec.promoteFrom, ctx)
    if (Option.isNone(app))
      return { app: name, appId: null, current: null, servedDigest: null, local, promotion }
    const health = ctx.spec.health as { readonly path?: string } | undefined
    const url = app.value.web_url
    const served =
      url === null || url === undefined ? null : yield* probe(healthUrl(url, health?.path ?? "/health"))
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
