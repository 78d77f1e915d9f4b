/** Applying config: one PATCH for the whole group, hence one release per run. */
import * as Effect from "effect/Effect"
import { done } from "../../engine/index.ts"
import { appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { ConfigVars, Ignored } from "../../services/heroku/schemas.ts"
import { type ConfigBatch, type ConfigChange, plain } from "./diff.ts"

/** Re-reads the vars and PATCHes what still differs: once per group, and a no-op when already applied. */
const applyBatch = (app: string, batch: ConfigBatch) =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const live = yield* api.get(appPath(app, "/config-vars"), ConfigVars)
    const patch: Record<string, string | null> = {}
    for (const [k, v] of Object.entries(batch.set))
      if (!Object.hasOwn(live, k) || live[k] !== plain(v)) patch[k] = plain(v)
    for (const k of batch.unset) if (Object.hasOwn(live, k)) patch[k] = null
    const keys = Object.keys(patch)
    if (keys.length === 0) return done("already applied")
    yield* api.send("PATCH", appPath(app, "/config-vars"), patch, Ignored)
    return done(`applied ${keys.length} config change(s) in one release`)
  }).pipe(Effect.withSpan("config.apply"))

/** Applies the config group (its batch) once. */
export const applyConfig = (change: ConfigChange) => applyBatch(change.app, change.batch)
