/** Observing add-ons: one list request; a missing app (first deploy) is an app without add-ons. */
import * as Effect from "effect/Effect"
import type { PluginError, RunContext } from "../../engine/index.ts"
import { listAddons } from "../../services/heroku/addons.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { AddonsLive } from "./diff.ts"

const observe = (app: string): Effect.Effect<AddonsLive, PluginError, HerokuApi> =>
  listAddons(app).pipe(
    Effect.map((addons): AddonsLive => ({ app, appExists: true, addons })),
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed<AddonsLive>({ app, appExists: false, addons: [] }),
    ),
  )

/** The app's add-ons (none when the app does not exist yet). */
export const observeAddons = (ctx: RunContext): Effect.Effect<AddonsLive, PluginError, HerokuApi> =>
  appNameOf(ctx, "addons").pipe(
    Effect.flatMap((app) => observe(app)),
    Effect.withSpan("addons.observe"),
  )
