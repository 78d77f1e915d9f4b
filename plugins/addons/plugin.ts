/**
 * The add-ons plugin (wave `addons`): provisions declared add-ons, changes plans in place, deletes
 * entries marked `absent: true` (destructive; data add-ons only with `protect: false`), and waits
 * for provisioning. Add-ons the manifest does not mention are left alone and reported.
 */
import * as Effect from "effect/Effect"
import { definePlugin, type PluginError } from "../../engine/index.ts"
import { listAddons } from "../../services/heroku/addons.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyAddon } from "./apply.ts"
import {
  type AddonChange,
  type AddonsLive,
  addonsWarnings,
  diffAddons,
  protectionViolations,
} from "./diff.ts"
import { type AddonsSpec, addonsSection } from "./spec.ts"

/** One list request; a missing app (first deploy) is an app without add-ons, not an error. */
const observe = (app: string): Effect.Effect<AddonsLive, PluginError, HerokuApi> =>
  listAddons(app).pipe(
    Effect.map((addons): AddonsLive => ({ app, appExists: true, addons })),
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed<AddonsLive>({ app, appExists: false, addons: [] }),
    ),
  )

/** Add-ons, matched by attachment name; data add-ons are protected from deletion. */
export const addonsPlugin = definePlugin<AddonsSpec, AddonsLive, AddonChange, HerokuApi>({
  name: "addons",
  section: addonsSection,
  wave: "addons",
  observe: (_desired, ctx) =>
    appNameOf(ctx, "addons").pipe(
      Effect.flatMap((app) => observe(app)),
      Effect.withSpan("addons.observe"),
    ),
  // removing a protected data add-on, or replacing one by another plan family, is a plan problem
  diff: (desired, live) => ({
    changes: diffAddons(desired, live),
    problems: protectionViolations(desired, live).map((message) => ({ message })),
  }),
  apply: (change) => applyAddon(change),
  warnings: addonsWarnings,
})
