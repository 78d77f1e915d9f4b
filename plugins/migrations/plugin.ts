/**
 * The `migrations` plugin (wave `migrations`): Prisma's folder format and `_prisma_migrations`
 * ledger, applied with the script and its ledger row in one transaction, checksums verified.
 */
import * as Effect from "effect/Effect"
import { allowedRoots, definePlugin, done, PluginError, type RunContext } from "../../engine/index.ts"
import { dbTimeoutsOf } from "../../services/database/connect.ts"
import { type DatabaseSpec, databaseSection } from "../../services/database/section.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { classify } from "./classify.ts"
import { diffMigrations, type MigrationChange } from "./diff.ts"
import { readMigrations } from "./folder.ts"
import { createLedger, ledgerExists, readLedger, schemaIsEmpty } from "./ledger.ts"
import { type MigrationsLive, observeMigrations } from "./observe.ts"
import { applyUpTo, migrationSession, serverVersionOf } from "./runner.ts"
import { migrationsProblems } from "./validate.ts"

const dbOf = (ctx: RunContext) => ctx.spec.database as DatabaseSpec

const migrate = (name: string, ctx: RunContext) =>
  Effect.scoped(
    Effect.gen(function* () {
      const db = dbOf(ctx)
      const spec = db.migrations
      if (spec === undefined) return done("no migrations declared")
      const url = yield* requireDatabaseUrl(db.url, ctx.spec)
      const c = yield* migrationSession(url, ctx.env, dbTimeoutsOf(ctx.spec))
      if (!(yield* ledgerExists(c))) {
        if (!(yield* schemaIsEmpty(c))) {
          return yield* Effect.fail(
            new PluginError({
              reason: "Invalid",
              detail: `the schema is not empty and has no _prisma_migrations ledger: run reconcile migrations baseline --env ${ctx.env}`,
            }),
          )
        }
        yield* createLedger(c)
      }
      const files = yield* readMigrations(allowedRoots(ctx.manifestDir), spec.dir)
      const { migrations } = classify(files, yield* readLedger(c))
      const applied = yield* applyUpTo(c, files, migrations, {
        target: spec.target,
        upTo: name,
        env: ctx.env,
        serverVersion: yield* serverVersionOf(c),
      })
      return done(applied.length === 0 ? `${name} was already applied` : `applied ${applied.join(", ")}`)
    }),
  )

export const migrationsPlugin = definePlugin({
  name: "migrations",
  section: databaseSection,
  wave: "migrations",
  // one at a time, oldest first, stopping at the first failure: the executor's job
  ordered: true,
  observe: (desired: DatabaseSpec, ctx) => observeMigrations(desired, ctx),
  diff: (desired: DatabaseSpec, live: MigrationsLive, ctx) => diffMigrations(desired, live, ctx.env),
  apply: (change: MigrationChange, ctx) => migrate(change.name, ctx),
  validate: migrationsProblems,
  warnings: (_desired: DatabaseSpec, live: MigrationsLive) =>
    live.unknown.length === 0
      ? []
      : [`_prisma_migrations has applied migrations that are not in the folder: ${live.unknown.join(", ")}`],
})
