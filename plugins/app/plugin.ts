/**
 * The app plugin (wave `app`): creates the app when missing (name, region, stack), keeps its build
 * stack, buildpacks (one PUT for the whole list), maintenance mode, ACM and app features as declared. It never deletes
 * an app. Observation: `GET /apps/{app}`, plus the buildpack installations when they are managed.
 */
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyApp } from "./apply.ts"
import { type AppChange, type AppLive, appDiffProblems, appWarnings, diffApp } from "./diff.ts"
import { observeApp } from "./observe.ts"
import { type AppSpec, appSection } from "./spec.ts"
import { appChecks } from "./validate.ts"

/** The Heroku app: created when missing, never deleted. */
export const appPlugin = definePlugin<AppSpec, AppLive, AppChange, HerokuApi>({
  name: "app",
  section: appSection,
  wave: "app",
  observe: (desired) => observeApp(desired),
  diff: (desired, live) => ({ changes: diffApp(desired, live), problems: appDiffProblems(desired, live) }),
  apply: (change) => applyApp(change),
  warnings: appWarnings,
  validate: appChecks,
})
