/** The `reference-data export --env NAME` definition; what it does is in command.ts, loaded when it runs. */
import * as Command from "@effect/cli/Command"
import { envOption, type LoadExtensionConfig, loaded, manifestsOption } from "../../engine/commandLine.ts"
import type { Database } from "../../services/database/Database.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"

/** The `reference-data` command with its `export` subcommand. */
export const makeReferenceDataCommand = <R>(config: LoadExtensionConfig<R, HerokuApi | Database>) => {
  const exportCommand = Command.make("export", { env: envOption(), manifests: manifestsOption }, (flags) =>
    loaded(
      () => Promise.all([import("./command.ts"), config()]),
      ([h, c]) => h.exportHandler(c, flags),
    ),
  ).pipe(Command.withDescription("Write the environment's reference tables into the dataset files."))
  return Command.make("reference-data").pipe(
    Command.withDescription("Manage reference data."),
    Command.withSubcommands([exportCommand]),
  )
}
