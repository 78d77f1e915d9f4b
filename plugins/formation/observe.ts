/** Observing the formation: one list of the app's process types. */
import * as Effect from "effect/Effect"
import type { PluginError, RunContext } from "../../engine/index.ts"
import { appNameOf, appPath } from "../../services/heroku/app.ts"
import { dynoSizeNames } from "../../services/heroku/catalog.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { Formation } from "../../services/heroku/schemas.ts"
import { type FormationLive, type Process, sizesToCheck } from "./diff.ts"
import type { FormationSpec } from "./spec.ts"

/** The app's process types, by type. */
export const readFormation = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.list(appPath(app, "/formation"), Formation)).pipe(
    Effect.map(
      (list): Record<string, Process> =>
        Object.fromEntries(list.map((f) => [f.type, { quantity: f.quantity, size: f.size }])),
    ),
  )

const observe = (desired: FormationSpec, app: string): Effect.Effect<FormationLive, PluginError, HerokuApi> =>
  readFormation(app).pipe(
    Effect.map((processes): FormationLive => ({ app, appExists: true, processes })),
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed<FormationLive>({ app, appExists: false, processes: {} }),
    ),
    // the dyno-size catalog only when a declared size is not the live one (a no-op reads none)
    Effect.flatMap((live) =>
      sizesToCheck(desired, live.processes).length === 0
        ? Effect.succeed(live)
        : Effect.map(dynoSizeNames, (sizes): FormationLive => ({ ...live, sizes })),
    ),
  )

/** The live formation of the context's app (empty when the app does not exist yet). */
export const observeFormation = (desired: FormationSpec, ctx: RunContext) =>
  appNameOf(ctx, "formation").pipe(
    Effect.flatMap((app) => observe(desired, app)),
    Effect.withSpan("formation.observe"),
  )
