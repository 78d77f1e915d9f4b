/**
 * `reconcile migrations resolve --applied NAME | --rolled-back NAME --env ENV` and
 * `reconcile migrations baseline --env ENV`: they write ledger rows exactly as `prisma migrate
 * resolve` would, under the migrations lock. The edge supplies every plugin (so any manifest
 * validates) and the run's services.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type pg from "pg"
import {
  allowedRoots,
  type ExtensionConfig,
  PluginError,
  type RunContext,
  reportErrors,
  runOnEnv,
  UsageError,
} from "../../engine/index.ts"
import { dbTimeoutsOf } from "../../services/database/connect.ts"
import type { Database } from "../../services/database/Database.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { classify } from "./classify.ts"
import { type MigrationFile, readMigrations } from "./folder.ts"
import { createLedger, markApplied, markRolledBack, readLedger } from "./ledger.ts"
import { migrationSession } from "./session.ts"
import type { DatabaseSpec, MigrationsSpec } from "./spec.ts"

const withLedger = <A>(
  ctx: RunContext,
  body: (
    c: pg.Client,
    files: ReadonlyArray<MigrationFile>,
    spec: MigrationsSpec,
  ) => Effect.Effect<A, PluginError>,
): Effect.Effect<A, PluginError, HerokuApi | Database> =>
  Effect.scoped(
    Effect.gen(function* () {
      const db = ctx.spec.database as DatabaseSpec | undefined
      if (db?.migrations === undefined)
        return yield* Effect.fail(
          PluginError.invalid(`environment ${ctx.env} declares no spec.database.migrations`),
        )
      const files = yield* readMigrations(allowedRoots(ctx.manifestDir), db.migrations.dir)
      const session = yield* migrationSession(
        yield* requireDatabaseUrl(db.url, ctx.spec),
        ctx.env,
        dbTimeoutsOf(ctx.spec),
      )
      if (!session.ledgerExists) yield* createLedger(session.client)
      return yield* body(session.client, files, db.migrations)
    }),
  )

const exactlyOne = "give exactly one of --applied NAME or --rolled-back NAME"

/** The migration `resolve` is about, when exactly one of --applied and --rolled-back names it. */
const resolvedName = (options: { readonly applied?: string; readonly rolledBack?: string }) =>
  options.applied !== undefined && options.rolledBack !== undefined
    ? undefined
    : (options.applied ?? options.rolledBack)

/** Marks a migration applied (`--applied`) or its failed attempt rolled back (`--rolled-back`). */
export const resolveMigration = (
  ctx: RunContext,
  options: { readonly applied?: string; readonly rolledBack?: string },
): Effect.Effect<string, PluginError, HerokuApi | Database> =>
  withLedger(ctx, (c, files) =>
    Effect.gen(function* () {
      const name = resolvedName(options)
      if (name === undefined) return yield* Effect.fail(PluginError.invalid(exactlyOne))
      const status = classify(files, yield* readLedger(c)).migrations.find((m) => m.name === name)
      if (options.applied !== undefined) {
        const file = files.find((f) => f.name === name)
        if (file === undefined || status === undefined) {
          return yield* Effect.fail(
            PluginError.invalid(`migration ${name} is not in the migrations folder (P3017)`),
          )
        }
        if (status.status === "applied" || status.status === "edited") {
          return yield* Effect.fail(
            PluginError.invalid(`migration ${name} is already recorded as applied (P3008)`),
          )
        }
        yield* markApplied(c, name, file.checksum)
        return `marked ${name} as applied`
      }
      if (status?.status !== "failed") {
        return yield* Effect.fail(
          PluginError.invalid(
            `migration ${name} is not in a failed state, so it cannot be rolled back (P3012)`,
          ),
        )
      }
      yield* markRolledBack(c, name)
      return `marked ${name} as rolled back; the next apply runs it again`
    }),
  )

/** Records every migration up to the target as applied, for a database whose schema exists already. */
export const baselineMigrations = (
  ctx: RunContext,
): Effect.Effect<string, PluginError, HerokuApi | Database> =>
  withLedger(ctx, (c, files, spec) =>
    Effect.gen(function* () {
      const { migrations } = classify(files, yield* readLedger(c))
      const last =
        spec.target === "latest" ? migrations.length - 1 : migrations.findIndex((m) => m.name === spec.target)
      if (last < 0 && spec.target !== "latest")
        return yield* Effect.fail(PluginError.invalid(`target ${spec.target} is not in the folder`))
      const failed = migrations.find((m) => m.status === "failed")
      if (failed !== undefined)
        return yield* Effect.fail(
          PluginError.invalid(`migration ${failed.name} has a failed attempt; resolve it first`),
        )
      const todo = migrations
        .slice(0, last + 1)
        .filter((m) => m.status === "pending" || m.status === "rolled-back")
      for (const m of todo)
        yield* markApplied(c, m.name, files.find((f) => f.name === m.name)?.checksum ?? "")
      return todo.length === 0
        ? "nothing to baseline"
        : `baselined ${todo.length} migration(s): ${todo.map((m) => m.name).join(", ")}`
    }),
  )

/** `migrations resolve`, once parsed (commandLine.ts defines it). */
export const resolveHandler = <R>(
  config: ExtensionConfig<R, HerokuApi | Database>,
  flags: {
    readonly env: string
    readonly manifests: string
    readonly applied: Option.Option<string>
    readonly rolledBack: Option.Option<string>
  },
) => {
  const options = {
    ...Option.match(flags.applied, { onNone: () => ({}), onSome: (applied) => ({ applied }) }),
    ...Option.match(flags.rolledBack, { onNone: () => ({}), onSome: (rolledBack) => ({ rolledBack }) }),
  }
  // a usage mistake is told before the environment's services start (a simulator, a connection)
  return resolvedName(options) === undefined
    ? reportErrors(Effect.fail(new UsageError({ detail: exactlyOne })))
    : runOnEnv(config, flags, (ctx) => resolveMigration(ctx, options))
}

/** `migrations baseline`, once parsed. */
export const baselineHandler = <R>(
  config: ExtensionConfig<R, HerokuApi | Database>,
  flags: { readonly env: string; readonly manifests: string },
) => runOnEnv(config, flags, baselineMigrations)
