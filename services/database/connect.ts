/**
 * Postgres connections for the database plugins: TLS as Heroku Postgres needs it (ssl without
 * certificate verification for remote hosts, none on loopback), errors that name the host and
 * never the password, and a scoped client that is always closed.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import pg from "pg"
import { type ErrorReason, PluginError, type PolicySpec, policyFrom } from "../../engine/index.ts"

/** How long a statement may wait for a lock and run, from the manifest's `spec.policy`. */
export interface DbTimeouts {
  readonly lockTimeout: Duration.Duration
  readonly statementTimeout: Duration.Duration
}

/** The database timeouts a spec's policy asks for (defaults when it says nothing). */
export const dbTimeoutsOf = (spec: Readonly<Record<string, unknown>>): DbTimeouts => {
  const { lockTimeout, statementTimeout } = policyFrom(spec.policy as PolicySpec | undefined, false)
  return { lockTimeout, statementTimeout }
}

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
        : e.code === "55P03"
          ? "Conflict"
          : e.code === undefined
            ? "Unavailable"
            : "Invalid"

/** What a cancelled statement means for the user: which policy knob bounded it. */
const hintOf = (e: { readonly code?: string; readonly message: string }): string =>
  e.code !== "55P03" && e.code !== "57014"
    ? ""
    : /lock timeout/.test(e.message) || e.code === "55P03"
      ? " (another session holds a lock it needs; spec.policy.lockTimeout bounds the wait)"
      : /statement timeout/.test(e.message)
        ? " (spec.policy.statementTimeout bounds one statement)"
        : ""

const ms = (d: Duration.Duration) => `${Math.max(1, Math.round(Duration.toMillis(d)))}ms`

/**
 * Connects with the policy's `lock_timeout` and `statement_timeout` set on the session, so no
 * statement waits or runs unbounded; the client is closed when the scope closes (also on interrupt).
 */
export const connect = (
  url: Redacted.Redacted<string>,
  timeouts: DbTimeouts,
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
          // set after connecting, not as startup parameters, which a PgBouncer pool would refuse
          await client.query(
            "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)",
            [ms(timeouts.lockTimeout), ms(timeouts.statementTimeout)],
          )
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
    (client, exit) =>
      Exit.isInterrupted(exit) ? Effect.zipRight(terminate(url, client), close(client)) : close(client),
  )

const close = (client: pg.Client) => Effect.promise(() => client.end().catch(() => {}))

/**
 * Ends the client's server session from a second connection: a backend waiting on a lock or running
 * a statement does not notice its client went away, so an interrupted run (SIGTERM, a step timeout)
 * would leave it holding or waiting for locks. Bounded at 3 s; best effort.
 */
const terminate = (url: Redacted.Redacted<string>, client: pg.Client) => {
  const pid = (client as pg.Client & { readonly processID?: number | null }).processID
  if (typeof pid !== "number") return Effect.void
  return Effect.tryPromise(async () => {
    const other = new pg.Client({ ...clientConfig(url, "reconcile cleanup"), connectionTimeoutMillis: 3000 })
    other.on("error", () => {})
    try {
      await other.connect()
      await other.query("SELECT pg_terminate_backend($1)", [pid])
    } finally {
      await other.end().catch(() => {})
    }
  }).pipe(Effect.timeout(Duration.seconds(3)), Effect.ignore)
}

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
      return new PluginError({ reason: reasonOf(err), detail: `query failed: ${err.message}${hintOf(err)}` })
    },
  })

/** True when the error means "this database does not exist". */
export const isMissingDatabase = (e: PluginError): boolean => e.reason === "NotFound"
