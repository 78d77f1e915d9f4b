/**
 * `reconcile history --env NAME [--limit N] [--output text|json] [--run ID]`: the runs recorded in
 * the environment's own database, newest first, or one run with its summary. What it does, once
 * parsed; commandLine.ts defines it.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { type ExtensionConfig, PluginError, type RunContext, runOnEnv } from "../engine/index.ts"
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

/** `reconcile history`, once parsed (commandLine.ts defines it). */
export const historyHandler = <R, S>(
  config: ExtensionConfig<R, HerokuApi | S>,
  flags: {
    readonly env: string
    readonly manifests: string
    readonly limit: number
    readonly output: "text" | "json"
    readonly run: Option.Option<string>
  },
) =>
  runOnEnv(config, flags, (ctx) =>
    flags.limit < 1
      ? Effect.fail(PluginError.invalid(`--limit ${flags.limit}: expected a positive number`))
      : historyOf(ctx, flags),
  )
