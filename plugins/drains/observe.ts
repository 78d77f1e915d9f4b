/** Observing drains: the app's log drains, URLs redacted the moment they are read. */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { RunContext } from "../../engine/index.ts"
import { appNameOf, appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { DrainsLive, LiveDrain } from "./diff.ts"

export const Drain = Schema.Struct({
  id: Schema.String,
  token: Schema.String,
  url: Schema.String,
  addon: Schema.optional(Schema.NullOr(Schema.Struct({ id: Schema.String }))),
})

/** The app's own drains (not add-ons'); none when the app does not exist yet. */
export const readDrains = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.list(appPath(app, "/log-drains"), Drain)).pipe(
    Effect.map((all) =>
      all
        .filter((d) => d.addon === undefined || d.addon === null)
        .map((d): LiveDrain => ({ id: d.id, token: d.token, url: Redacted.make(d.url) })),
    ),
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed([]),
    ),
  )

/** The live drains of the context's app. */
export const observeDrains = (ctx: RunContext) =>
  appNameOf(ctx, "drains").pipe(
    Effect.flatMap((app) => Effect.map(readDrains(app), (drains): DrainsLive => ({ app, drains }))),
    Effect.withSpan("drains.observe"),
  )
