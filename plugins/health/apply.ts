/** Applying a health check: poll until healthy, pending between probes, failing past the timeout. */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { type ApplyResult, done, PluginError, pending } from "../../engine/index.ts"
import { type Probe, probe } from "../../services/probe.ts"
import { describeProbe, type HealthCheck, healthy } from "./diff.ts"

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
          detail: `not healthy within ${Duration.format(check.timeout)} (${attempt} attempts): last ${describeProbe(last, check.expectRelease)}${last?.frontendDigest ? `, digest ${last.frontendDigest}` : ""}`,
        }),
      )
    const p = check.url === null ? null : yield* probe(check.url)
    if (healthy(p, check.expectStatus, check.expectDigest, check.expectRelease))
      return done(
        `healthy after ${attempt + 1} attempt(s), ${p?.latencyMs ?? 0} ms (release ${p?.release ?? "?"})`,
        {
          healthLatencyMs: String(p?.latencyMs ?? 0),
          healthAttempts: String(attempt + 1),
        },
      )
    return pending(
      `waiting for ${check.url}: ${describeProbe(p, check.expectRelease)}`,
      poll(check, deadline, attempt + 1, p),
    )
  })

/** Polls until healthy; fails (terminally) once the check's timeout has passed. */
export const waitHealthy = (check: HealthCheck): Effect.Effect<ApplyResult<never>, PluginError> =>
  Effect.flatMap(Clock.currentTimeMillis, (start) =>
    poll(check, start + Duration.toMillis(check.timeout), 0, null),
  )
