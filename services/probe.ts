/**
 * One request to the app's health URL: the status, the latency, and what the app says about itself
 * (`release`, `frontendDigest`). An unreachable app is a value (status null), not an error.
 */
import * as Effect from "effect/Effect"

export interface Probe {
  readonly url: string
  readonly status: number | null
  readonly release: string | null
  readonly frontendDigest: string | null
  readonly latencyMs: number
  /** Why there is no status (connection refused, timeout, ...). */
  readonly error: string | null
}

const field = (body: unknown, key: string): string | null => {
  const v = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[key] : undefined
  return typeof v === "string" ? v : null
}

/** The health URL for an app URL and a path. */
export const healthUrl = (webUrl: string, path: string): string => new URL(path, webUrl).toString()

/** GETs `url` once (5 s timeout). */
export const probe = (url: string): Effect.Effect<Probe> =>
  Effect.promise(async (signal) => {
    const started = Date.now()
    try {
      const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) })
      const text = await res.text()
      let body: unknown = null
      try {
        body = JSON.parse(text)
      } catch {
        body = null
      }
      return {
        url,
        status: res.status,
        release: field(body, "release"),
        frontendDigest: field(body, "frontendDigest"),
        latencyMs: Date.now() - started,
        error: null,
      }
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : ""
      return {
        url,
        status: null,
        release: null,
        frontendDigest: null,
        latencyMs: Date.now() - started,
        error: `${e instanceof Error ? e.message : String(e)}${cause}`,
      }
    }
  })
