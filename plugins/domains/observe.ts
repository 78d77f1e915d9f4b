/** Observing domains: the app's custom domains (its herokuapp.com domain is not managed). */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { RunContext } from "../../engine/index.ts"
import { appNameOf, appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { DomainsLive, LiveDomain } from "./diff.ts"

export const Domain = Schema.Struct({
  hostname: Schema.String,
  kind: Schema.String,
  cname: Schema.NullOr(Schema.String),
  status: Schema.String,
  acm_status: Schema.optional(Schema.NullOr(Schema.String)),
})

export const toLive = (d: typeof Domain.Type): LiveDomain => ({
  hostname: d.hostname,
  cname: d.cname,
  status: d.status,
  acmStatus: d.acm_status ?? null,
})

/** The app's custom domains; none when the app does not exist yet. */
export const readDomains = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.list(appPath(app, "/domains"), Domain, { field: "hostname" })).pipe(
    Effect.map((all) => all.filter((d) => d.kind === "custom").map(toLive)),
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed([]),
    ),
  )

/** The live custom domains of the context's app. */
export const observeDomains = (ctx: RunContext) =>
  appNameOf(ctx, "domains").pipe(
    Effect.flatMap((app) => Effect.map(readDomains(app), (domains): DomainsLive => ({ app, domains }))),
    Effect.withSpan("domains.observe"),
  )
