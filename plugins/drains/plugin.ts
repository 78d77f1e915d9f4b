/**
 * The drains plugin (wave `addons`, once the app exists): adds the declared log drains and removes
 * the app's undeclared ones (add-ons' drains are left alone). URLs are secrets: shown by
 * fingerprint, never printed. Observation: one list of the app's log drains.
 */
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyDrain } from "./apply.ts"
import { type DrainsChange, type DrainsLive, diffDrains } from "./diff.ts"
import { observeDrains } from "./observe.ts"
import { type DrainsSpec, drainsSection } from "./spec.ts"

/** Log drains of the app. */
export const drainsPlugin = definePlugin<DrainsSpec, DrainsLive, DrainsChange, HerokuApi>({
  name: "drains",
  section: drainsSection,
  wave: "addons",
  observe: (_desired, ctx) => observeDrains(ctx),
  diff: (desired, live) => diffDrains(desired, live),
  apply: (change) => applyDrain(change),
})
