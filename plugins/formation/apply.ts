/** Applying the formation: one batch PATCH of the updates that still differ. */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { done, PluginError } from "../../engine/index.ts"
import { appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { Formation } from "../../services/heroku/schemas.ts"
import { type FormationChange, satisfies } from "./diff.ts"
import { readFormation } from "./observe.ts"

/** Re-reads the formation and PATCHes the updates that still differ; a no-op once applied. */
export const applyFormation = (change: FormationChange) =>
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
