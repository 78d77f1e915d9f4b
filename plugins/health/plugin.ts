/**
 * The health plugin (wave `health`): after the release, poll the app's health URL until it answers
 * the expected status and (when asked) reports the frontend digest the release section wants. It
 * plans a step only when the live health does not match, so a converged environment plans nothing.
 */
import type { RunState } from "../../engine/index.ts"
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { waitHealthy } from "./apply.ts"
import { diffHealth, type HealthCheck, type HealthLive } from "./diff.ts"
import { observeHealth } from "./observe.ts"
import { type HealthSpec, healthSection } from "./spec.ts"

export const healthPlugin = definePlugin<HealthSpec, HealthLive, HealthCheck, HerokuApi | RunState>({
  name: "health",
  section: healthSection,
  wave: "health",
  inRollback: "declared",
  observe: observeHealth,
  diff: diffHealth,
  apply: (check) => waitHealthy(check),
})
