/**
 * The formation plugin (wave `formation`, after the release): scales and resizes process types in
 * one batch PATCH. Observation: one list of the app's formation, and the dyno-size catalog when a
 * declared size is not the live one (an unknown size is a plan problem with the closest names).
 */
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyFormation } from "./apply.ts"
import { diffFormation, type FormationChange, type FormationLive, sizeProblems } from "./diff.ts"
import { observeFormation } from "./observe.ts"
import { type FormationSpec, formationSection } from "./spec.ts"

/** Dynos per process type, in one batch request. */
export const formationPlugin = definePlugin<FormationSpec, FormationLive, FormationChange, HerokuApi>({
  name: "formation",
  section: formationSection,
  wave: "formation",
  observe: (desired, ctx) => observeFormation(desired, ctx),
  // a size the platform does not offer is a plan problem, found before anything is written
  diff: (desired, live) => ({
    changes: diffFormation(desired, live),
    problems: sizeProblems(desired, live),
  }),
  apply: applyFormation,
})
