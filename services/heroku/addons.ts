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
  /** The owning app, when the response names it. */
  readonly owner?: string
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
  ...(a.app === undefined ? {} : { owner: a.app.name }),
})

/** Every add-on listed for the app: its own and those of other apps attached to it. One request. */
export const listAllAddons = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.list(appPath(app, "/addons"), Addon)).pipe(
    Effect.map((all) => all.map(toLive)),
  )

/** Whether the app owns the add-on (an add-on of another app attached here does not count). */
export const ownedBy = (app: string) => (a: LiveAddon) => a.owner === undefined || a.owner === app

/** The add-ons the app owns, one list request. */
export const listAddons = (app: string) =>
  listAllAddons(app).pipe(Effect.map((all) => all.filter(ownedBy(app))))
