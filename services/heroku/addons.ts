/**
 * An app's add-ons as the Heroku plugins see them: the add-ons plugin converges them, the config
 * plugin refuses to set the config vars they own. One list request per read.
 */
import * as Effect from "effect/Effect"
import { appPath } from "./app.ts"
import { HerokuApi } from "./HerokuApi.ts"
import { Addon } from "./schemas.ts"

export interface LiveAddon {
  readonly id: string
  readonly name: string
  readonly service: string
  readonly plan: string
  readonly state: string
  /** Attachment names on this app (DATABASE for DATABASE_URL). */
  readonly attachments: ReadonlyArray<string>
  /** Names of the config vars it owns. */
  readonly configVars: ReadonlyArray<string>
}

/** Attachment names from an add-on's config var names (`DATABASE_URL` → `DATABASE`). */
export const attachmentsOf = (configVars: ReadonlyArray<string>): ReadonlyArray<string> =>
  configVars.filter((v) => v.endsWith("_URL")).map((v) => v.slice(0, -"_URL".length))

/** The live view of one add-on response. */
export const toLive = (a: Addon): LiveAddon => ({
  id: a.id,
  name: a.name,
  service: a.addon_service.name,
  plan: a.plan.name,
  state: a.state,
  attachments: attachmentsOf(a.config_vars),
  configVars: a.config_vars,
})

/** Every add-on of the app, one list request. */
export const listAddons = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.list(appPath(app, "/addons"), Addon)).pipe(
    Effect.map((all) => all.map(toLive)),
  )
