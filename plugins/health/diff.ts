/** The health diff: a step only when the live health does not match, so a converged environment plans nothing. */
import * as Duration from "effect/Duration"
import type { Probe } from "../../services/probe.ts"
import { describeRelease, releaseMatches } from "./release.ts"
import type { HealthSpec } from "./spec.ts"

export interface HealthLive {
  readonly url: string | null
  readonly probe: Probe | null
  readonly expectStatus: number
  /** The digest the app must report, or null when not checked. */
  readonly expectDigest: string | null
  /** The release the app must report (`v12`), or null when not checked. */
  readonly expectRelease: string | null
}

export interface HealthCheck {
  readonly url: string | null
  readonly expectStatus: number
  readonly expectDigest: string | null
  readonly expectRelease: string | null
  readonly timeout: Duration.Duration
}

/** Whether a probe answered the expected status (and digest and release, when checked). */
export const healthy = (
  p: Probe | null,
  status: number,
  digest: string | null,
  release: string | null = null,
): boolean =>
  p !== null &&
  p.status === status &&
  (digest === null || p.frontendDigest === digest) &&
  releaseMatches(p, release)

/** A probe's outcome in a few words (with the release that answered, when it is the wrong one). */
export const describeProbe = (p: Probe | null, release: string | null = null): string =>
  p === null
    ? "no URL"
    : p.status === null
      ? `unreachable (${p.error})`
      : `HTTP ${p.status}${describeRelease(p, release)}`

/** One `check` step when the live health does not match, else none. */
export const diffHealth = (spec: HealthSpec, live: HealthLive) =>
  healthy(live.probe, live.expectStatus, live.expectDigest, live.expectRelease)
    ? []
    : [
        {
          key: "check",
          action: "run" as const,
          before: {
            status: describeProbe(live.probe, live.expectRelease),
            frontend: live.probe?.frontendDigest ?? "(none)",
            ...(live.expectRelease === null ? {} : { release: live.probe?.release ?? "(none)" }),
          },
          after: {
            status: `HTTP ${live.expectStatus}`,
            frontend: live.expectDigest ?? "(not checked)",
            ...(live.expectRelease === null ? {} : { release: live.expectRelease }),
          },
          reason: "the live health does not match",
          change: {
            url: live.url,
            expectStatus: live.expectStatus,
            expectDigest: live.expectDigest,
            expectRelease: live.expectRelease,
            timeout: spec.timeout ?? Duration.minutes(2),
          } satisfies HealthCheck,
        },
      ]
