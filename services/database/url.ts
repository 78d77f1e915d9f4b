/**
 * Resolving a database URL: `{ fromEnv }` is already decoded; `{ fromConfigVar }` is read from the
 * app's config vars through the Heroku API (app name from `spec.app.name`). An unset var or a
 * missing app is `None` (the database does not exist yet), never an error.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { PluginError } from "../../engine/index.ts"
import { appNameIn } from "../heroku/app.ts"
import { HerokuApi } from "../heroku/HerokuApi.ts"
import type { DatabaseSpec, DatabaseUrl } from "./section.ts"

const ConfigVars = Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.String) })

/** The `database` section of a spec, if any. */
export const databaseOf = (spec: Readonly<Record<string, unknown>>): DatabaseSpec | undefined =>
  spec.database as DatabaseSpec | undefined

/** A short, secret-free description of where a URL comes from. */
export const describeUrl = (url: DatabaseUrl): string =>
  Redacted.isRedacted(url) ? "the URL from the environment" : `config var ${url.fromConfigVar}`

/** Resolves a URL; `None` when the config var (or its app) does not exist yet. */
export const resolveDatabaseUrl = (
  url: DatabaseUrl,
  spec: Readonly<Record<string, unknown>>,
): Effect.Effect<Option.Option<Redacted.Redacted<string>>, PluginError, HerokuApi> => {
  if (Redacted.isRedacted(url)) return Effect.succeed(Option.some(url))
  const app = appNameIn(spec)
  if (app === undefined) {
    return Effect.fail(
      new PluginError({
        reason: "Invalid",
        detail: `database.url reads config var ${url.fromConfigVar}, which needs spec.app.name`,
      }),
    )
  }
  return Effect.flatMap(HerokuApi, (api) =>
    api.find(`/apps/${encodeURIComponent(app)}/config-vars`, ConfigVars).pipe(
      Effect.map((vars) =>
        Option.flatMap(vars, (v) => {
          const value = v[url.fromConfigVar]
          return typeof value === "string" && value !== "" ? Option.some(Redacted.make(value)) : Option.none()
        }),
      ),
    ),
  )
}

/** Resolves a URL that must exist (apply time); a missing one is retryable (still provisioning). */
export const requireDatabaseUrl = (
  url: DatabaseUrl,
  spec: Readonly<Record<string, unknown>>,
): Effect.Effect<Redacted.Redacted<string>, PluginError, HerokuApi> =>
  resolveDatabaseUrl(url, spec).pipe(
    Effect.flatMap(
      Option.match({
        onSome: Effect.succeed,
        onNone: () =>
          Effect.fail(
            new PluginError({
              reason: "Unavailable",
              detail: `the database URL (${describeUrl(url)}) is not set yet; is the add-on still provisioning?`,
            }),
          ),
      }),
    ),
  )
