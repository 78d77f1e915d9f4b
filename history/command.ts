/**
 * `reconcile history --env NAME [--limit N] [--output text|json] [--run ID]`: the runs recorded in
 * the environment's own database, newest first, or one run with its summary.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import {
  type ExtensionConfig,
  envOption,
  manifestsOption,
  PluginError,
  type RunContext,
  runOnEnv,
} from "../engine/index.ts"
import type { HerokuApi } from "../services/heroku/HerokuApi.ts"
import { recentRuns, withDatabase } from "./database.ts"
import { RunDetail, RunHistory } from "./RunRecord.ts"
import { renderRun, renderRuns } from "./render.ts"
import { getRun } from "./store.ts"

/** The history lines or JSON of `ctx`'s environment. */
export const historyOf = (
  ctx: RunContext,
  flags: { readonly limit: number; readonly output: "text" | "json"; readonly run: Option.Option<string> },
): Effect.Effect<string, PluginError, HerokuApi> =>
  Option.match(flags.run, {
    onNone: () =>
      // an environment without a database yet has an empty history
      Effect.map(recentRuns(ctx, flags.limit), (runs) =>
        flags.output === "json"
          ? JSON.stringify(
              Schema.encodeSync(RunHistory)(
                new RunHistory({ kind: "run-history", formatVersion: 1, env: ctx.env, runs }),
              ),
              null,
              2,
            )
          : renderRuns(ctx.env, runs),
      ),
    onSome: (id) =>
      Effect.flatMap(
        withDatabase(ctx, (client) => getRun(client, ctx.env, id)),
        (found) =>
          found === undefined
            ? Effect.fail(
                new PluginError({ reason: "NotFound", detail: `no run ${id} of ${ctx.env} is recorded` }),
              )
            : Effect.succeed(
                flags.output === "json"
                  ? JSON.stringify(
                      Schema.encodeSync(RunDetail)(
                        new RunDetail({
                          kind: "run",
                          formatVersion: 1,
                          run: found.run,
                          summary: found.summary,
                        }),
                      ),
                      null,
                      2,
                    )
                  : renderRun(found.run, found.summary),
              ),
      ),
  })

/** The `history` command; the edge supplies the plugins and the services of a run. */
export const historyCommand = <R, S>(config: ExtensionConfig<R, HerokuApi | S>) =>
  Command.make(
    "history",
    {
      env: envOption("environment whose runs to list"),
      manifests: manifestsOption,
      limit: Options.integer("limit").pipe(
        Options.withDefault(20),
        Options.withDescription("how many runs to list, newest first (default 20)"),
      ),
      output: Options.choice("output", ["text", "json"]).pipe(
        Options.withAlias("o"),
        Options.withDefault("text" as const),
      ),
      run: Options.text("run").pipe(
        Options.optional,
        Options.withDescription("show one run (its id from the listing) with its summary"),
      ),
    },
    (flags) =>
      runOnEnv(config, flags, (ctx) =>
        flags.limit < 1
          ? Effect.fail(PluginError.invalid(`--limit ${flags.limit}: expected a positive number`))
          : historyOf(ctx, flags),
      ),
  ).pipe(
    Command.withDescription(
      "List the applies and rollbacks recorded in the environment's own database (newest first), or one run's summary with --run ID.",
    ),
  )
