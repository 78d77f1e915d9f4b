/** Observing health: one probe of the app's health URL, and the frontend digest the release wants. */
import * as Effect from "effect/Effect"
import type { PluginError, RunContext, RunState } from "../../engine/index.ts"
import { type ArtifactSpec, localArtifact } from "../../services/artifact/artifact.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { webUrl } from "../../services/heroku/releases.ts"
import { healthUrl, probe } from "../../services/probe.ts"
import type { HealthLive } from "./diff.ts"
import { checksDigest, expectedRelease } from "./release.ts"
import type { HealthSpec } from "./spec.ts"

/** The digest the release section wants: the pinned one, or what the local build produced. */
const wantedDigest = (
  spec: HealthSpec,
  ctx: RunContext,
): Effect.Effect<string | null, PluginError, RunState> => {
  const release = ctx.spec.release as ArtifactSpec | undefined
  const frontend = release?.frontend
  if (spec.expect?.frontendDigest !== true || release === undefined || frontend === undefined)
    return Effect.succeed(null)
  if (frontend.digest !== "auto") return Effect.succeed(frontend.digest)
  if (release.promoteFrom !== undefined) return Effect.succeed(null)
  return Effect.map(localArtifact(release, ctx), (a) => a.frontendDigest)
}

/** The live health of the context's app and what it is expected to answer. */
export const observeHealth = (
  spec: HealthSpec,
  ctx: RunContext,
): Effect.Effect<HealthLive, PluginError, HerokuApi | RunState> =>
  Effect.gen(function* () {
    const app = yield* appNameOf(ctx, "health")
    const expectDigest = checksDigest(ctx) ? yield* wantedDigest(spec, ctx) : null
    const base = yield* webUrl(app)
    const url = base === null ? null : healthUrl(base, spec.path ?? "/health")
    return {
      url,
      probe: url === null ? null : yield* probe(url),
      expectStatus: spec.expect?.status ?? 200,
      expectDigest,
      expectRelease: yield* expectedRelease(spec, app),
    }
  })
