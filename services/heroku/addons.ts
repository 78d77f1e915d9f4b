/**
 * An app's add-ons as the Heroku plugins see them: the add-ons plugin converges them, the config
 * plugin refuses to set the config vars they own. One list request per read.
 */
import * as Effect from "effect/Effect"
import { appPath } from "./app.ts"
import { HerokuApi } from "./HerokuApi.ts"
import { Addon, AddonAttachment } from "./schemas.ts"

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

/** An attachment on this app of an add-on that another app owns (`<name>_URL` is set here). */
export interface LiveAttachment {
  readonly id: string
  readonly name: string
  readonly addonId: string
  readonly addonName: string
  readonly owner: string
}

/** The app's attachments of add-ons other apps own, one list request. */
export const listForeignAttachments = (app: string) =>
  Effect.flatMap(HerokuApi, (api) => api.list(appPath(app, "/addon-attachments"), AddonAttachment)).pipe(
    Effect.map(
      (all): ReadonlyArray<LiveAttachment> =>
        all
          .filter((a) => a.addon.app.name !== app)
          .map((a) => ({
            id: a.id,
            name: a.name,
            addonId: a.addon.id,
            addonName: a.addon.name,
            owner: a.addon.app.name,
          })),
    ),
  )

/**
 * The names of the config vars add-ons set on the app: its own add-ons' and, only when the list
 * shows another app's add-on attached here, those attachments' `<NAME>_URL` (one more request).
 */
export const addonVarsOf = (app: string) =>
  listAllAddons(app).pipe(
    Effect.flatMap((all) => {
      const owned = all.filter(ownedBy(app)).map((a) => ({ name: a.name, configVars: a.configVars }))
      if (owned.length === all.length) return Effect.succeed(owned)
      return listForeignAttachments(app).pipe(
        Effect.map((attached) => [
          ...owned,
          ...attached.map((a) => ({ name: a.addonName, configVars: [`${a.name}_URL`] })),
        ]),
      )
    }),
  )
