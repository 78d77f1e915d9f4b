/**
 * The `app` section: the Heroku app every Heroku plugin works on. The add-ons, config and formation
 * plugins read the app's name from here, so `app` is required whenever any of them is used.
 */
import * as Schema from "effect/Schema"
import { section } from "../../engine/manifestSpec.ts"

/** A Heroku app name: 3-30 characters, lowercase letters, digits and dashes. */
export const AppName = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9-]{1,28}[a-z0-9]$/, {
    message: () =>
      "expected a Heroku app name (3-30 characters: lowercase letters, digits and dashes, starting with a letter)",
  }),
)

/** Feature names are checked by a filter so a bad one says why, not "unknown key". */
export const AppFeatures = Schema.Record({ key: Schema.String, value: Schema.Boolean }).pipe(
  Schema.filter((features) =>
    Object.keys(features)
      .filter((k) => !/^[a-z0-9][a-z0-9-]{0,62}$/.test(k))
      .map((k) => ({ path: [k], message: "expected a feature name (lowercase letters, digits and -)" })),
  ),
)

export const AppSpec = Schema.Struct({
  name: AppName.annotations({ description: "the app's name; created when missing, never deleted" }),
  region: Schema.optional(Schema.String).annotations({
    description: "region at creation (us, eu); cannot be changed later",
  }),
  stack: Schema.optional(Schema.String).annotations({
    description: "stack (heroku-24); on an existing app, the build stack of the next build",
  }),
  buildpacks: Schema.optional(Schema.Array(Schema.String)).annotations({
    description: "buildpacks in order (heroku/nodejs or a URL); absent leaves them alone",
  }),
  maintenance: Schema.optional(Schema.Boolean).annotations({
    description: "maintenance mode; absent leaves it alone",
  }),
  acm: Schema.optional(Schema.Boolean).annotations({
    description: "Automated Certificate Management for the custom domains; absent leaves it alone",
  }),
  features: Schema.optional(AppFeatures).annotations({
    description:
      "app features by name (preboot, runtime-dyno-metadata): true on, false off; others left alone",
  }),
})
export type AppSpec = typeof AppSpec.Type

/** The `spec.app` section, shared by nobody else: the other Heroku plugins only read it through `ctx`. */
export const appSection = section("app", AppSpec, "the Heroku app (required by addons, config, formation)")
