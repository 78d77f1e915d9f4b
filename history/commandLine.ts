/** The `reconcile history` definition; what it does is in command.ts, loaded when it runs. */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { envOption, type LoadExtensionConfig, loaded, manifestsOption } from "../engine/commandLine.ts"
import type { HerokuApi } from "../services/heroku/HerokuApi.ts"

/** The `history` command; the edge supplies the plugins and the services of a run. */
export const historyCommand = <R, S>(config: LoadExtensionConfig<R, HerokuApi | S>) =>
  Command.make(
    "history",
    {
      env: envOption("environment whose runs to list"),
      manifests: manifestsOption,
      limit: Options.integer("limit").pipe(
        Options.withPseudoName("N"),
        Options.withDefault(20),
        Options.withDescription("how many runs to list, newest first (default 20)"),
      ),
      output: Options.choice("output", ["text", "json"]).pipe(
        Options.withAlias("o"),
        Options.withDefault("text" as const),
      ),
      run: Options.text("run").pipe(
        Options.withPseudoName("ID"),
        Options.optional,
        Options.withDescription("show one run (its id from the listing) with its summary"),
      ),
    },
    (flags) =>
      loaded(
        () => Promise.all([import("./command.ts"), config()]),
        ([h, c]) => h.historyHandler(c, flags),
      ),
  ).pipe(
    Command.withDescription(
      "List the applies and rollbacks recorded in the environment's own database (newest first), or one run's summary with --run ID.",
    ),
  )
