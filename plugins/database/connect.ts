/**
 * Postgres connections for the database plugins: TLS as Heroku Postgres needs it (ssl without
 * certificate verification for remote hosts, none on loopback), errors that name the host and
 * never the password, and a scoped client that is always closed.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import pg from "pg"
import { type ErrorReason, PluginError } from "../../engine/errors.ts"

const loopback = (host: string) =>
  host === "localhost" ||
  host === "::1" ||
  host === "[::1]" ||
  /^127(\.\d{1,3}){3}$/.test(host) ||
  host.startsWith("/")

/** `host:port/db` of a URL, for messages (no user, no password). */
export const whereOf = (url: Redacted.Redacted<string>): string => {
  try {
    const u = new URL(Redacted.value(url))
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`
  } catch {
    return "(unparsable database URL)"
  }
}

/** The `pg` client configuration for a URL. */
export const clientConfig = (url: Redacted.Redacted<string>, applicationName?: string): pg.ClientConfig => {
  const raw = Redacted.value(url)
  const u = new URL(raw)
  u.searchParams.delete("sslmode")
  return {
    connectionString: u.toString(),
    ssl: loopback(u.hostname) ? false : { rejectUnauthorized: false },
    connectionTimeoutMillis: 10_000,
    ...(applicationName === undefined ? {} : { application_name: applicationName.slice(0, 63) }),
  }
}

/** Strips a password from any text (defence in depth: pg messages do not normally carry it). */
export const scrub = (url: Redacted.Redacted<string>, text: string): string => {
  try {
    const password = decodeURIComponent(new URL(Redacted.value(url)).password)
    return password === "" ? text : text.split(password).join("***")
  } catch {
    return text
  }
}

const reasonOf = (e: { readonly code?: string }): ErrorReason =>
  e.code === "3D000"
    ? "NotFound"
    : e.code === "28P01" || e.code === "28000"
      ? "Unauthorized"
      : e.code === "ECONNREFUSED" || e.code === "ETIMEDOUT" || e.code === "ENOTFOUND" || e.code === "57P03"
        ? "Unavailable"
        : e.code === undefined
          ? "Unavailable"
          : "Invalid"

/** Connects; the client is closed when the scope closes. */
export const connect = (
  url: Redacted.Redacted<string>,
  applicationName?: string,
): Effect.Effect<pg.Client, PluginError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const client = new pg.Client(clientConfig(url, applicationName))
        // a server-side termination must not crash the process; the next query fails instead
        client.on("error", () => {})
        try {
          await client.connect()
        } catch (e) {
          await client.end().catch(() => {})
          throw e
        }
        return client
      },
      catch: (e) => {
        const err = e as Error & { code?: string }
        return new PluginError({
          reason: reasonOf(err),
          detail: `cannot connect to Postgres at ${whereOf(url)}: ${scrub(url, err.message)}`,
        })
      },
    }),
    (client) => Effect.promise(() => client.end().catch(() => {})),
  )

/** A query whose failure is a PluginError (a SQL error is Invalid; a lost connection Unavailable). */
export const query = <T extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.Client,
  text: string,
  values?: ReadonlyArray<unknown>,
): Effect.Effect<pg.QueryResult<T>, PluginError> =>
  Effect.tryPromise({
    try: () => client.query<T>(text, values === undefined ? undefined : [...values]),
    catch: (e) => {
      const err = e as Error & { code?: string }
      return new PluginError({ reason: reasonOf(err), detail: `query failed: ${err.message}` })
    },
  })

/** True when the error means "this database does not exist". */
export const isMissingDatabase = (e: PluginError): boolean => e.reason === "NotFound"
