/**
 * The Platform API payloads the Heroku plugins read, as Effect Schemas. Only the fields we use are
 * declared; everything else in a response is ignored when decoding.
 */
import * as Schema from "effect/Schema"

const Named = Schema.Struct({ name: Schema.String })

/** `GET /apps/{app}`. */
export const AppInfo = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  region: Named,
  stack: Named,
  build_stack: Named,
  maintenance: Schema.Boolean,
  acm: Schema.optional(Schema.Boolean),
  web_url: Schema.optional(Schema.NullOr(Schema.String)),
})
export type AppInfo = typeof AppInfo.Type

/** One item of `GET /apps/{app}/features`. */
export const AppFeature = Schema.Struct({ name: Schema.String, enabled: Schema.Boolean })

/** One item of `GET /apps/{app}/buildpack-installations`. */
export const BuildpackInstallation = Schema.Struct({
  ordinal: Schema.Number,
  buildpack: Schema.Struct({ url: Schema.String, name: Schema.optional(Schema.NullOr(Schema.String)) }),
})
export type BuildpackInstallation = typeof BuildpackInstallation.Type

/** One add-on (`GET /apps/{app}/addons`); `config_vars` names the vars it exposes. */
export const Addon = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  addon_service: Named,
  plan: Named,
  state: Schema.String,
  config_vars: Schema.Array(Schema.String),
  /** The owning app: another app's name for an add-on attached here from it. */
  app: Schema.optional(Named),
})
export type Addon = typeof Addon.Type

/** One add-on attachment (`GET /apps/{app}/addon-attachments`, `POST /addon-attachments`). */
export const AddonAttachment = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  app: Named,
  addon: Schema.Struct({ id: Schema.String, name: Schema.String, app: Named }),
})
export type AddonAttachment = typeof AddonAttachment.Type

/** `GET|PATCH /apps/{app}/config-vars`: the whole map. */
export const ConfigVars = Schema.Record({ key: Schema.String, value: Schema.String })
export type ConfigVars = typeof ConfigVars.Type

/** One process type of `GET /apps/{app}/formation`. */
export const Formation = Schema.Struct({
  type: Schema.String,
  quantity: Schema.Number,
  size: Schema.String,
})
export type Formation = typeof Formation.Type

/** A response whose body we do not read. */
export const Ignored = Schema.Unknown

/**
 * One item of a catalog: `GET /dyno-sizes` (`Standard-1X`), `/addon-services` (`heroku-redis`) or
 * `/addon-services/{service}/plans` (`heroku-postgresql:essential-0`); only the name is read.
 */
export const CatalogItem = Schema.Struct({ name: Schema.String })
