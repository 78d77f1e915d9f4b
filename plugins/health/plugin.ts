/**
 * The health plugin (wave `health`): after the release, poll the app's health URL until it answers
 * the expected status and (when asked) reports the frontend digest the release section wants. It
 * plans a step only when the live health does not match, so a converged environment plans nothing.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { RunState } from "../../engine/index.ts"
import {
  type ApplyResult,
  definePlugin,
  done,
  PluginError,
  pending,
  type RunContext,
} from "../../engine/index.ts"
import { type ArtifactSpec, localArtifact } from "../../services/artifact/artifact.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { webUrl } from "../../services/heroku/releases.ts"
import { healthUrl, type Probe, probe } from "../../services/probe.ts"
import { type HealthSpec, healthSection } from "./spec.ts"

export interface HealthLive {
  readonly url: string | null
  readonly probe: Probe | null
  readonly expectStatus: number
  /** The digest the app must report, or null when not checked. */
  readonly expectDigest: string | null
}

export interface HealthCheck {
  readonly url: string | null
  readonly expectStatus: number
  readonly expectDigest: string | null
  readonly timeout: Duration.Duration
}

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

const healthy = (p: Probe | null, status: number, digest: string | null): boolean =>
  p !== null && p.status === status && (digest === null || p.frontendDigest === digest)

const describe = (p: Probe | null): string =>
  p === null ? "no URL" : p.status === null ? `unreachable (${p.error})` : `HTTP ${p.status}`

const observe = (
  spec: HealthSpec,
  ctx: RunContext,
): Effect.Effect<HealthLive, PluginError, HerokuApi | RunState> =>
  Effect.gen(function* () {
    const app = yield* appNameOf(ctx, "health")
    const expectDigest = yield* wantedDigest(spec, ctx)
    const base = yield* webUrl(app)
    const url = base === null ? null : healthUrl(base, spec.path ?? "/health")
    return {
      url,
      probe: url === null ? null : yield* probe(url),
      expectStatus: spec.expect?.status ?? 200,
      expectDigest,
    }
  })

const poll = (
  check: HealthCheck,
  deadline: number,
  attempt: number,
  last: Probe | null,
): Effect.Effect<ApplyResult<never>, PluginError> =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    if (now > deadline)
      return yield* Effect.fail(
        new PluginError({
          reason: "Invalid",
          detail: `not healthy within ${Duration.format(check.timeout)} (${attempt} attempts): last ${describe(last)}${last?.frontendDigest ? `, digest ${last.frontendDigest}` : ""}`,
        }),
      )
    const p = check.url === null ? null : yield* probe(check.url)
    if (healthy(p, check.expectStatus, check.expectDigest))
      return done(
        `healthy after ${attempt + 1} attempt(s), ${p?.latencyMs ?? 0} ms (release ${p?.release ?? "?"})`,
        {
          healthLatencyMs: String(p?.latencyMs ?? 0),
          healthAttempts: String(attempt + 1),
        },
      )
    return pending(
      `waiting for ${check.url}: ${describe(p)}`,
      poll(check, deadline, attempt + 1, p),
      "500 millis",
    )
  })

/** Polls until healthy; fails (terminally) once the check's timeout has passed. */
export const waitHealthy = (check: HealthCheck): Effect.Effect<ApplyResult<never>, PluginError> =>
  Effect.flatMap(Clock.currentTimeMillis, (start) =>
    poll(check, start + Duration.toMillis(check.timeout), 0, null),
  )

export const healthPlugin = definePlugin<HealthSpec, HealthLive, HealthCheck, HerokuApi | RunState>({
  name: "health",
  section: healthSection,
  wave: "health",
  observe,
  diff: (spec, live) =>
    healthy(live.probe, live.expectStatus, live.expectDigest)
      ? []
      : [
          {
            key: "check",
            action: "run",
            before: { status: describe(live.probe), frontend: live.probe?.frontendDigest ?? "(none)" },
            after: { status: `HTTP ${live.expectStatus}`, frontend: live.expectDigest ?? "(not checked)" },
            reason: "the live health does not match",
            change: {
              url: live.url,
              expectStatus: live.expectStatus,
              expectDigest: live.expectDigest,
              timeout: spec.timeout ?? Duration.minutes(2),
            },
          },
        ],
  apply: (check) => waitHealthy(check),
})
