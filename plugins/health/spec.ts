/** The `health` section: what a healthy release looks like and how long to wait for it. */
import * as Schema from "effect/Schema"
import { DurationString, section } from "../../engine/manifestSpec.ts"

export const HealthSpec = Schema.Struct({
  path: Schema.optional(Schema.String.pipe(Schema.startsWith("/"))).annotations({
    description: "path on the app's URL; default /health",
  }),
  expect: Schema.optional(
    Schema.Struct({
      status: Schema.optional(Schema.Int.pipe(Schema.between(100, 599))).annotations({
        description: "expected HTTP status; default 200",
      }),
      frontendDigest: Schema.optional(Schema.Boolean).annotations({
        description: "the app must report the frontend digest the release section built or pinned",
      }),
      release: Schema.optional(Schema.Boolean).annotations({
        description:
          "the app must report the release that is current (the health JSON's `release` field, e.g. v12, from HEROKU_RELEASE_VERSION: turn on the app's runtime-dyno-metadata feature)",
      }),
    }),
  ),
  timeout: Schema.optional(DurationString).annotations({
    description: "how long to wait for health; default 2m",
  }),
  maxBackupAge: Schema.optional(DurationString).annotations({
    description:
      "the latest verified backup (database.backup) must be younger than this, e.g. 26h; older, or none, is a health problem",
  }),
})
export type HealthSpec = typeof HealthSpec.Type

export const healthSection = section("health", HealthSpec, "the health check that must pass after a release")
