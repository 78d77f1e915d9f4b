/** Observing the formation: one list of the app's process types. */
import * as Effect from "effect/Effect"
import type { PluginError, RunContext } from "../../engine/index.ts"
import { appNameOf, appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { Formation } from "../../services/heroku/schemas.ts"
import type { FormationLive, Process } from "./diff.ts"

/** The app's process types, by type. */
export const readFormation = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.list(appPath(app, "/formation"), Formation)).pipe(
    Effect.map(
      (list): Record<string, Process> =>
        Object.fromEntries(list.map((f) => [f.type, { quantity: f.quantity, size: f.size }])),
    ),
  )

const observe = (app: string): Effect.Effect<FormationLive, PluginError, HerokuApi> =>
  readFormation(app).pipe(
    Effect.map((processes): FormationLive => ({ app, appExists: true, processes })),
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed<FormationLive>({ app, appExists: false, processes: {} }),
    ),
  )

/** The live formation of the context's app (empty when the app does not exist yet). */
export const observeFormation = (ctx: RunContext) =>
  appNameOf(ctx, "formation").pipe(Effect.flatMap(observe), Effect.withSpan("formation.observe"))
