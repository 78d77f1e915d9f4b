/**
 * The health plugin (wave `health`): after the release, poll the app's health URL until it answers
 * the expected status and (when asked) reports the frontend digest the release section wants. It
 * plans a step only when the live health does not match, so a converged environment plans nothing.
 * It also reports per-resource health (each process type's dynos, the frontend digest served, the
 * latest backup's age against `maxBackupAge`) beside the plan.
 */
import * as Effect from "effect/Effect"
import type { RunState } from "../../engine/index.ts"
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { waitHealthy } from "./apply.ts"
import { diffHealth, type HealthCheck } from "./diff.ts"
import { observeHealth } from "./observe.ts"
import { type HealthObserved, healthReports } from "./report.ts"
import { observeResources } from "./resources.ts"
import { type HealthSpec, healthSection } from "./spec.ts"

export const healthPlugin = definePlugin<HealthSpec, HealthObserved, HealthCheck, HerokuApi | RunState>({
  name: "health",
  section: healthSection,
  wave: "health",
  inRollback: "declared",
  // per-resource health (dynos, backup age) beside the health URL: see resources.ts and report.ts
  observe: (spec, ctx) =>
    Effect.zipWith(observeHealth(spec, ctx), observeResources(spec, ctx), (live, resources) => ({
      ...live,
      resources,
    })),
  diff: diffHealth,
  apply: (check) => waitHealthy(check),
  health: healthReports,
  // everything this plugin observes besides what the spec implies is a reading (the probe, dyno
  // states, backup age): none of it makes a saved plan stale (a health step that changes still does)
  fingerprinted: ({ probe: _probe, resources: _resources, ...rest }) => rest,
})
