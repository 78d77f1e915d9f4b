/**
 * The `spec.database` section, shared by the backup, migrations and reference-data plugins (they
 * reference this one object, so the engine composes it once). The URL comes from an app config var
 * (read through the Heroku API) or from the runner's environment (e.g. a direct, unpooled URL).
 */
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { EnvVarName, FromEnv, section } from "../../engine/manifestSpec.ts"

/** `{ fromConfigVar: NAME }`: the URL is the app's config var NAME (sensitive). */
export const FromConfigVar = Schema.Struct({ fromConfigVar: EnvVarName })

/** Where a database URL comes from; `{ fromEnv }` decodes to the redacted value. */
export const DatabaseUrl = Schema.Union(FromConfigVar, FromEnv).annotations({
  description:
    "{ fromConfigVar: NAME } (the app's config var) or { fromEnv: NAME } (e.g. a direct DIRECT_URL)",
})
export type DatabaseUrl = { readonly fromConfigVar: string } | Redacted.Redacted<string>

export const BackupSpec = Schema.Struct({
  provider: Schema.Literal("heroku", "pg_dump", "none").annotations({
    description: "heroku (Data API capture), pg_dump (custom-format file under .reconcile/backups), none",
  }),
  always: Schema.optional(Schema.Boolean).annotations({
    description: "back up on every apply, not only when migrations or reference data change",
  }),
  before: Schema.optional(Schema.Literal("migrate")),
  addon: Schema.optional(Schema.String).annotations({
    description: "heroku: the add-on or attachment to capture; default the url's config var attachment",
  }),
  schedule: Schema.optional(
    Schema.Struct({
      hour: Schema.Int.pipe(Schema.between(0, 23)).annotations({ description: "hour of the day, 0-23" }),
      timezone: Schema.optional(Schema.String).annotations({
        description: "IANA time zone of the hour, e.g. UTC or Europe/Paris (default UTC)",
      }),
    }),
  ).annotations({
    description: "heroku: a daily scheduled backup (heroku pg:backups:schedule), reconciled like other state",
  }),
})
export type BackupSpec = typeof BackupSpec.Type

export const MigrationsSpec = Schema.Struct({
  dir: Schema.String.annotations({ description: "Prisma migrations folder, e.g. prisma/migrations" }),
  target: Schema.String.annotations({ description: '"latest" or a migration folder name' }),
  safety: Schema.optional(Schema.Literal("warn", "block")).annotations({
    description:
      "what Squawk findings judged slow or breaking do: warn (default: shown in the plan) or block (plan errors: a dry-run exits 1, nothing is applied)",
  }),
})
export type MigrationsSpec = typeof MigrationsSpec.Type

export const ReferenceFrom = Schema.Union(Schema.Struct({ env: Schema.String }), FromEnv).annotations({
  description: "promote from another environment's database ({ env: NAME }) or a URL ({ fromEnv: NAME })",
})

export const ReferenceDataSpec = Schema.Struct({
  dir: Schema.String.annotations({
    description: "folder with dataset.yaml and one JSON or CSV file per table",
  }),
  version: Schema.String,
  prune: Schema.optional(Schema.Boolean).annotations({ description: "delete rows the dataset lacks" }),
  from: Schema.optional(ReferenceFrom),
})
export type ReferenceDataSpec = typeof ReferenceDataSpec.Type

export const DatabaseSpec = Schema.Struct({
  url: DatabaseUrl,
  backup: Schema.optional(BackupSpec),
  migrations: Schema.optional(MigrationsSpec),
  referenceData: Schema.optional(ReferenceDataSpec),
}).pipe(
  Schema.filter((d) =>
    d.backup !== undefined || (d.migrations === undefined && d.referenceData === undefined)
      ? undefined
      : {
          path: ["backup"],
          message: "backup is required with migrations or referenceData (write provider: none to disable it)",
        },
  ),
)
export type DatabaseSpec = typeof DatabaseSpec.Type

/** The one `database` section object; every database plugin must use this very object. */
export const databaseSection = section("database", DatabaseSpec, "the app's Postgres database")
