/**
 * The `migrations` command's definition: `resolve --applied NAME | --rolled-back NAME` and
 * `baseline`, each for one environment. What they do is in command.ts, loaded when one runs.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { envOption, type LoadExtensionConfig, loaded, manifestsOption } from "../../engine/commandLine.ts"
import type { Database } from "../../services/database/Database.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"

const handlers = () => import("./command.ts")

/** The `migrations` command with its `resolve` and `baseline` subcommands. */
export const makeMigrationsCommand = <R>(config: LoadExtensionConfig<R, HerokuApi | Database>) => {
  const resolve = Command.make(
    "resolve",
    {
      env: envOption(),
      manifests: manifestsOption,
      applied: Options.text("applied").pipe(
        Options.withPseudoName("NAME"),
        Options.optional,
        Options.withDescription("mark NAME as applied"),
      ),
      rolledBack: Options.text("rolled-back").pipe(
        Options.withPseudoName("NAME"),
        Options.optional,
        Options.withDescription("mark the failed attempt of NAME as rolled back"),
      ),
    },
    (flags) =>
      loaded(
        () => Promise.all([handlers(), config()]),
        ([h, c]) => h.resolveHandler(c, flags),
      ),
  ).pipe(
    Command.withDescription("Record a migration as applied or rolled back, as prisma migrate resolve does."),
  )
  const baseline = Command.make("baseline", { env: envOption(), manifests: manifestsOption }, (flags) =>
    loaded(
      () => Promise.all([handlers(), config()]),
      ([h, c]) => h.baselineHandler(c, flags),
    ),
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
