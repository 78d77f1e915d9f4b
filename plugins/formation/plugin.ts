/**
 * The formation plugin (wave `formation`, after the release): scales and resizes process types in
 * one batch PATCH. Observation: one list of the app's formation.
 */
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyFormation } from "./apply.ts"
import { diffFormation, type FormationChange, type FormationLive } from "./diff.ts"
import { observeFormation } from "./observe.ts"
import { type FormationSpec, formationSection } from "./spec.ts"

/** Dynos per process type, in one batch request. */
export const formationPlugin = definePlugin<FormationSpec, FormationLive, FormationChange, HerokuApi>({
  name: "formation",
  section: formationSection,
  wave: "formation",
  observe: (_desired, ctx) => observeFormation(ctx),
  diff: (desired, live) => diffFormation(desired, live),
  apply: applyFormation,
})
