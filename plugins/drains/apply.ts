/** Applying drains: create (idempotent: an existing URL is found, not re-added) or remove by id. */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { done } from "../../engine/index.ts"
import { appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { DrainsChange } from "./diff.ts"
import { Drain, readDrains } from "./observe.ts"

/** Adds or removes one drain; messages name its token, never its URL. */
export const applyDrain = Effect.fn("drains.apply")(function* (change: DrainsChange) {
  const api = yield* HerokuApi
  const live = yield* readDrains(change.app)
  if (change.kind === "delete") {
    if (!live.some((d) => d.id === change.id)) return done(`drain ${change.token} already removed`)
    yield* api.send("DELETE", appPath(change.app, `/log-drains/${change.id}`), {}, Drain)
    return done(`removed drain ${change.token}`)
  }
  const url = Redacted.value(change.url)
  const found = live.find((d) => Redacted.value(d.url) === url)
  if (found !== undefined) return done(`drain ${found.token} already there`)
  const drain = yield* api.send("POST", appPath(change.app, "/log-drains"), { url }, Drain)
  return done(`added drain ${drain.token}`)
})
