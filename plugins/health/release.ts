/**
 * Release identity: with `health.expect.release`, the release answering must be the release the
 * platform has current (the one this run made current, since the health wave is observed after the
 * release wave). The app reports its version as the `release` field of the health JSON, from
 * `HEROKU_RELEASE_VERSION`, which dynos get while the app's `runtime-dyno-metadata` feature is on.
 * Without it an old dyno still answering with the same frontend digest would pass for the new release.
 */
import * as Effect from "effect/Effect"
import type { PluginError, RunContext } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { currentRelease } from "../../services/heroku/releases.ts"
import type { Probe } from "../../services/probe.ts"
import type { HealthSpec } from "./spec.ts"

/** The version the app must report (`v12`), or null when the manifest does not ask for the check. */
export const expectedRelease = (
  spec: HealthSpec,
  app: string,
): Effect.Effect<string | null, PluginError, HerokuApi> =>
  spec.expect?.release === true
    ? Effect.map(currentRelease(app), (r) => (r === null ? null : `v${r.version}`))
    : Effect.succeed(null)

/** Whether the probe came from the expected release (always, when none is expected). */
export const releaseMatches = (p: Probe | null, expected: string | null): boolean =>
  expected === null || p?.release === expected

/** What a probe from the wrong release looks like in a message. */
export const describeRelease = (p: Probe | null, expected: string | null): string =>
  expected === null || p === null || p.status === null || p.release === expected
    ? ""
    : `, release ${p.release ?? "(not reported: is runtime-dyno-metadata on?)"} answering, ${expected} expected`

/** A rollback (the command, or an automatic one) verifies the release it made current, not the manifest's build. */
export const checksDigest = (ctx: RunContext): boolean => ctx.rollback === undefined
