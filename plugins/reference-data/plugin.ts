/**
 * The `reference-data` plugin (wave `reference-data`): a versioned dataset of tables converged in one
 * transaction with COPY and set-based upserts; one group step for the dataset, a member per table.
 */
import { definePlugin } from "../../engine/index.ts"
import { applyReferenceData } from "./apply.ts"
import { diffReferenceData, type ReferenceChange, type ReferenceLive } from "./diff.ts"
import { referenceDataHealth } from "./health.ts"
import { observeReferenceData } from "./observe.ts"
import { type DatabaseSpec, databaseSection } from "./spec.ts"
import { referenceDataProblems } from "./validate.ts"

export const referenceDataPlugin = definePlugin({
  name: "reference-data",
  section: databaseSection,
  wave: "reference-data",
  observe: (desired: DatabaseSpec, ctx) => observeReferenceData(desired, ctx),
  diff: (desired: DatabaseSpec, live: ReferenceLive) =>
    desired.referenceData === undefined ? [] : diffReferenceData(desired.referenceData, live),
  apply: (change: ReferenceChange, ctx) => applyReferenceData(change, ctx),
  validate: referenceDataProblems,
  health: referenceDataHealth,
})
