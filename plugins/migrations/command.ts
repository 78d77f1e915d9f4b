/**
 * `reconcile migrations resolve --applied NAME | --rolled-back NAME --env ENV` and
 * `reconcile migrations baseline --env ENV`, for the CLI edge. The manifest is loaded with the
 * full plugin list (so any manifest validates) and the run's services come from `services`.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { ExitCode, setExitCode } from "../../engine/cli/exitCodes.ts"
import { reportErrors } from "../../engine/cli/report.ts"
import { openEnvironment } from "../../engine/cli/session.ts"
import type { PluginError } from "../../engine/errors.ts"
import type { AnyPlugin, RunContext } from "../../engine/plugin/Plugin.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { baselineMigrations, resolveMigration } from "./commands.ts"

/** What database commands need from the edge: every plugin, and the services for a run. */
export interface DatabaseCommandConfig<R> {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly services: (ctx: RunContext) => Layer.Layer<HerokuApi, PluginError>
}

export const envOption = Options.text("env").pipe(
  Options.withAlias("e"),
  Options.withDescription("environment"),
)
export const manifestsOption = Options.directory("manifests").pipe(
  Options.withDefault("manifests"),
  Options.withDescription("folder holding the environment manifests"),
)

/** Opens the environment's session and runs `body` with its services; prints the result. */
export const runOnEnv = <R>(
  config: DatabaseCommandConfig<R>,
  flags: { readonly env: string; readonly manifests: string },
  body: (ctx: RunContext) => Effect.Effect<string, PluginError, HerokuApi>,
) =>
  reportErrors(
    Effect.gen(function* () {
      const session = yield* openEnvironment(config.plugins, flags)
      const message = yield* body(session.ctx).pipe(Effect.provide(config.services(session.ctx)))
      yield* Console.log(message)
      yield* setExitCode(ExitCode.ok)
    }),
  )

/** The `migrations` command with its `resolve` and `baseline` subcommands. */
export const makeMigrationsCommand = <R>(config: DatabaseCommandConfig<R>) => {
  const resolve = Command.make(
    "resolve",
    {
      env: envOption,
      manifests: manifestsOption,
      applied: Options.text("applied").pipe(
        Options.optional,
        Options.withDescription("mark NAME as applied"),
      ),
      rolledBack: Options.text("rolled-back").pipe(
        Options.optional,
        Options.withDescription("mark the failed attempt of NAME as rolled back"),
      ),
    },
    (flags) =>
      runOnEnv(config, flags, (ctx) =>
        resolveMigration(ctx, {
          ...Option.match(flags.applied, { onNone: () => ({}), onSome: (applied) => ({ applied }) }),
          ...Option.match(flags.rolledBack, { onNone: () => ({}), onSome: (rolledBack) => ({ rolledBack }) }),
        }),
      ),
  ).pipe(
    Command.withDescription("Record a migration as applied or rolled back, as prisma migrate resolve does."),
  )
  const baseline = Command.make("baseline", { env: envOption, manifests: manifestsOption }, (flags) =>
    runOnEnv(config, flags, baselineMigrations),
  ).pipe(
    Command.withDescription(
      "Record every migration up to the target as applied (existing schema, no ledger).",
    ),
  )
  return Command.make("migrations").pipe(
    Command.withDescription("Manage the _prisma_migrations ledger."),
    Command.withSubcommands([resolve, baseline]),
  )
}
