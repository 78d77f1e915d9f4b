/**
 * Where the Heroku API is and how to authenticate: `HEROKU_API_URL` (default the real API; plain
 * http only for loopback hosts, such as the local simulator) and `HEROKU_API_KEY`.
 */
import { isPluginError, PluginError } from "../../engine/index.ts"

export interface HerokuConfig {
  readonly baseUrl: string
  readonly token: string
  /** Bound on one request, answer body included (default 30s). */
  readonly requestTimeout?: import("effect/Duration").DurationInput
  /** Most pages one list may take (default 1,000); more is refused as a misbehaving API. */
  readonly maxPages?: number
}

const loopback = (host: string) =>
  host === "localhost" || host === "[::1]" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host)

/** Validates a base URL: https anywhere, http only on loopback. */
export const checkBaseUrl = (raw: string): string | PluginError => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return new PluginError({ reason: "Invalid", detail: `HEROKU_API_URL is not a URL: ${raw}` })
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && loopback(url.hostname))) {
    return url.toString().replace(/\/$/, "")
  }
  return new PluginError({
    reason: "Invalid",
    detail: `HEROKU_API_URL must use https (plain http is accepted only for loopback hosts), got ${url.origin}`,
  })
}

/** Reads the configuration from an environment; a missing token is one clear, terminal error. */
export const herokuConfigFrom = (
  env: Readonly<Record<string, string | undefined>>,
  names: { readonly url: string; readonly token: string } = {
    url: "HEROKU_API_URL",
    token: "HEROKU_API_KEY",
  },
): HerokuConfig | PluginError => {
  const baseUrl = checkBaseUrl(env[names.url] ?? "https://api.heroku.com")
  if (isPluginError(baseUrl)) return baseUrl
  const token = env[names.token]
  if (token === undefined || token === "") {
    return new PluginError({
      reason: "Unauthorized",
      detail: `${names.token} is not set: create an API token (heroku authorizations:create) and export it`,
    })
  }
  return { baseUrl, token }
}
