/**
 * What `reconcile import` reads from a live app, as plain data: one request per resource (app,
 * buildpacks, add-ons, formation, config vars), and the app's attachments of other apps' add-ons
 * only when the add-ons list shows one. Config values are kept only for the keys the user
 * asked to write in plain (`--plain`); every other value is dropped as soon as it is read.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { PluginError } from "../engine/index.ts"
import {
  type LiveAddon,
  type LiveAttachment,
  listAllAddons,
  listForeignAttachments,
  ownedBy,
} from "../services/heroku/addons.ts"
import { appPath } from "../services/heroku/app.ts"
import { HerokuApi } from "../services/heroku/HerokuApi.ts"
import { AppInfo, BuildpackInstallation, ConfigVars, Formation } from "../services/heroku/schemas.ts"

export interface LiveApp {
  readonly name: string
  readonly region: string
  readonly stack: string
  readonly maintenance: boolean
  readonly buildpacks: ReadonlyArray<string>
  /** The add-ons the app owns. */
  readonly addons: ReadonlyArray<LiveAddon>
  /** Other apps' add-ons attached to this one (SHARED_DB of app A's Postgres). */
  readonly attachments: ReadonlyArray<LiveAttachment>
  readonly formation: ReadonlyArray<{
    readonly type: string
    readonly quantity: number
    readonly size: string
  }>
  /** Every config var's name, sorted. */
  readonly configKeys: ReadonlyArray<string>
  /** Values of the keys asked for in plain, and only those. */
  readonly plainValues: Readonly<Record<string, string>>
}

/** Reads the app `name`; `plain` names the config vars whose values are kept. */
export const readLiveApp = (
  name: string,
  plain: ReadonlyArray<string>,
): Effect.Effect<LiveApp, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const info = yield* api.get(appPath(name), AppInfo)
    const [buildpacks, all, formation, config] = yield* Effect.all(
      [
        api.get(appPath(name, "/buildpack-installations"), Schema.Array(BuildpackInstallation)),
        listAllAddons(name),
        api.list(appPath(name, "/formation"), Formation),
        api.get(appPath(name, "/config-vars"), ConfigVars),
      ],
      { concurrency: 4 },
    )
    const addons = all.filter(ownedBy(info.name))
    const attachments = addons.length === all.length ? [] : yield* listForeignAttachments(info.name)
    const plainValues: Record<string, string> = {}
    for (const key of plain) {
      const value = config[key]
      if (value !== undefined) plainValues[key] = value
    }
    return {
      name: info.name,
      region: info.region.name,
      stack: info.build_stack.name,
      maintenance: info.maintenance,
      buildpacks: [...buildpacks]
        .sort((a, b) => a.ordinal - b.ordinal)
        .map((b) => b.buildpack.name ?? b.buildpack.url),
      addons,
      attachments,
      formation: formation.map((f) => ({ type: f.type, quantity: f.quantity, size: f.size })),
      configKeys: Object.keys(config).sort(),
      plainValues,
    }
  })
