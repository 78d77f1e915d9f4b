/** `reconcile reference-data export --env NAME`, for the CLI edge. */
import * as Command from "@effect/cli/Command"
import { type ExtensionConfig, envOption, manifestsOption, runOnEnv } from "../../engine/index.ts"
import type { Database } from "../../services/database/Database.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { exportReferenceData } from "./export.ts"

/** The `reference-data` command with its `export` subcommand. */
export const makeReferenceDataCommand = <R>(config: ExtensionConfig<R, HerokuApi | Database>) => {
  const exportCommand = Command.make("export", { env: envOption(), manifests: manifestsOption }, (flags) =>
    runOnEnv(config, flags, exportReferenceData),
  ).pipe(Command.withDescription("Write the environment's reference tables into the dataset files."))
  return Command.make("reference-data").pipe(
    Command.withDescription("Manage reference data."),
    Command.withSubcommands([exportCommand]),
  )
}
