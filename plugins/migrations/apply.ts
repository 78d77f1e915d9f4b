/** Applying a migration: every pending one up to it, each with its ledger row in one transaction. */
import * as Effect from "effect/Effect"
import { allowedRoots, done, PluginError, type RunContext } from "../../engine/index.ts"
import { dbTimeoutsOf } from "../../services/database/connect.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { classify } from "./classify.ts"
import { readMigrations } from "./folder.ts"
import { createLedger, ledgerExists, readLedger, schemaIsEmpty } from "./ledger.ts"
import { applyUpTo, migrationSession, serverVersionOf } from "./runner.ts"
import type { DatabaseSpec } from "./spec.ts"

const dbOf = (ctx: RunContext) => ctx.spec.database as DatabaseSpec

/** Applies the pending migrations up to `name` (a no-op when it was already applied). */
export const applyMigration = (name: string, ctx: RunContext) =>
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
