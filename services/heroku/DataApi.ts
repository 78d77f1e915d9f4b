/**
 * The Heroku Data API (`/client/v11/...`, Postgres backups): the same client shape as the Platform
 * API, its own host from `HEROKU_DATA_API_URL` (default https://api.data.heroku.com), the same token.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import { isPluginError, type PluginError } from "../../engine/index.ts"
import { type HerokuConfig, herokuConfigFrom } from "./config.ts"
import { type HerokuApiShape, make } from "./HerokuApi.ts"

export class HerokuDataApi extends Context.Tag("reconcile/HerokuDataApi")<HerokuDataApi, HerokuApiShape>() {}

/** Reads `HEROKU_DATA_API_URL` and `HEROKU_API_KEY`. */
export const dataApiConfigFrom = (
  env: Readonly<Record<string, string | undefined>>,
): HerokuConfig | PluginError =>
  herokuConfigFrom(
    { ...env, HEROKU_DATA_API_URL: env.HEROKU_DATA_API_URL ?? "https://api.data.heroku.com" },
    { url: "HEROKU_DATA_API_URL", token: "HEROKU_API_KEY" },
  )

/** The Data API client for a configuration, over the HttpClient in context. */
export const dataApiLayer = (
  config: HerokuConfig,
): Layer.Layer<HerokuDataApi, never, HttpClient.HttpClient> => Layer.effect(HerokuDataApi, make(config))

/** Whether a value is a configuration error rather than a configuration. */
export const isConfigError = (c: HerokuConfig | PluginError): c is PluginError => isPluginError(c)
