/** Applying domains: create (idempotent: an existing hostname is found, not re-added) or delete. */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { done } from "../../engine/index.ts"
import { appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { type DomainsChange, describeDomain } from "./diff.ts"
import { Domain, toLive } from "./observe.ts"

/** Creates or deletes one custom domain; its DNS target and certificate status go to the outputs. */
export const applyDomain = Effect.fn("domains.apply")(function* (change: DomainsChange) {
  const api = yield* HerokuApi
  const path = appPath(change.app, `/domains/${encodeURIComponent(change.hostname)}`)
  const existing = yield* api.find(path, Domain)
  if (change.kind === "delete") {
    if (Option.isNone(existing)) return done(`${change.hostname} already gone`)
    yield* api.send("DELETE", path, {}, Domain)
    return done(`deleted ${change.hostname}`)
  }
  const domain = Option.isSome(existing)
    ? existing.value
    : yield* api.send(
        "POST",
        appPath(change.app, "/domains"),
        { hostname: change.hostname, sni_endpoint: null },
        Domain,
      )
  return done(`added ${change.hostname}`, { [`domain ${change.hostname}`]: describeDomain(toLive(domain)) })
})
