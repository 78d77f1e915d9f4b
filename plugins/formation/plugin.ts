/**
 * The formation plugin (wave `formation`, after the release): scales and resizes process types in
 * one batch PATCH. Observation: one list of the app's formation.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { definePlugin, done, PluginError } from "../../engine/index.ts"
import { appNameOf, appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { Formation } from "../../services/heroku/schemas.ts"
import { diffFormation, type FormationChange, type FormationLive, type Process, satisfies } from "./diff.ts"
import { type FormationSpec, formationSection } from "./spec.ts"

const readFormation = (app: string) =>
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

/** Re-reads the formation and PATCHes the updates that still differ; a no-op once applied. */
const apply = (change: FormationChange) =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const live = yield* readFormation(change.app)
    const missing = change.updates.filter((u) => !Object.hasOwn(live, u.type)).map((u) => u.type)
    if (missing.length > 0) {
      return yield* new PluginError({
        reason: "Invalid",
        detail:
          `process type(s) ${missing.join(", ")} not in the app's current release ` +
          "(deploy a Procfile that declares them first)",
      })
    }
    const updates = change.updates.filter((u) => !satisfies(live[u.type], u))
    if (updates.length === 0) return done("already scaled")
    yield* api.send("PATCH", appPath(change.app, "/formation"), { updates }, Schema.Array(Formation))
    return done(`scaled ${updates.map((u) => `${u.type}=${u.quantity}`).join(", ")}`)
  }).pipe(Effect.withSpan("formation.apply"))

/** Dynos per process type, in one batch request. */
export const formationPlugin = definePlugin<FormationSpec, FormationLive, FormationChange, HerokuApi>({
  name: "formation",
  section: formationSection,
  wave: "formation",
  observe: (_desired, ctx) =>
    appNameOf(ctx, "formation").pipe(Effect.flatMap(observe), Effect.withSpan("formation.observe")),
  diff: (desired, live) => diffFormation(desired, live),
  apply,
})
