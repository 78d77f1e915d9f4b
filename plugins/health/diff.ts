/** The health diff: a step only when the live health does not match, so a converged environment plans nothing. */
import * as Duration from "effect/Duration"
import type { Probe } from "../../services/probe.ts"
import type { HealthSpec } from "./spec.ts"

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

/** Whether a probe answered the expected status (and digest, when one is checked). */
export const healthy = (p: Probe | null, status: number, digest: string | null): boolean =>
  p !== null && p.status === status && (digest === null || p.frontendDigest === digest)

/** A probe's outcome in a few words. */
export const describeProbe = (p: Probe | null): string =>
  p === null ? "no URL" : p.status === null ? `unreachable (${p.error})` : `HTTP ${p.status}`

/** One `check` step when the live health does not match, else none. */
export const diffHealth = (spec: HealthSpec, live: HealthLive) =>
  healthy(live.probe, live.expectStatus, live.expectDigest)
    ? []
    : [
        {
          key: "check",
          action: "run" as const,
          before: { status: describeProbe(live.probe), frontend: live.probe?.frontendDigest ?? "(none)" },
          after: { status: `HTTP ${live.expectStatus}`, frontend: live.expectDigest ?? "(not checked)" },
          reason: "the live health does not match",
          change: {
            url: live.url,
            expectStatus: live.expectStatus,
            expectDigest: live.expectDigest,
            timeout: spec.timeout ?? Duration.minutes(2),
          } satisfies HealthCheck,
        },
      ]
