/**
 * The options every command shares (one definition: `--env`/`-e`, `--manifests`), and `runOnEnv`,
 * how an extension command (migrations, reference-data, rollback) runs on one environment.
 */
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type { PluginError } from "../errors.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import { ExitCode, setExitCode } from "./exitCodes.ts"
import { reportErrors } from "./report.ts"
import { openEnvironment } from "./session.ts"

/** `--env NAME` (`-e`): the environment, read from `<manifests>/<NAME>.yaml`. */
export const envOption = (description = "environment: reads <manifests>/<NAME>.yaml") =>
  Options.text("env").pipe(Options.withAlias("e"), Options.withDescription(description))

/** `--manifests DIR`: the folder holding the environment manifests (default `manifests`). */
export const manifestsOption = Options.directory("manifests").pipe(
  Options.withDefault("manifests"),
  Options.withDescription("folder holding the environment manifests"),
)

/** `--output`/`-o`: what is printed on stdout. */
export const outputOption = Options.choice("output", ["text", "json", "markdown"]).pipe(
  Options.withAlias("o"),
  Options.withDefault("text" as const),
  Options.withDescription("format of what is printed on stdout (progress always goes to stderr)"),
)

/** What an extension command needs from the edge: every plugin, and the services for a run. */
export interface ExtensionConfig<R, S> {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  readonly services: (ctx: RunContext) => Layer.Layer<S, PluginError>
}

/** Opens the environment's session, runs `body` with the run's services and prints its result. */
export const runOnEnv = <R, S>(
  config: ExtensionConfig<R, S>,
  flags: { readonly env: string; readonly manifests: string },
  body: (ctx: RunContext) => Effect.Effect<string, PluginError, S>,
) =>
  reportErrors(
    Effect.gen(function* () {
      const session = yield* openEnvironment(config.plugins, flags)
      const message = yield* body(session.ctx).pipe(Effect.provide(config.services(session.ctx)))
      yield* Console.log(message)
      yield* setExitCode(ExitCode.ok)
    }),
  )
