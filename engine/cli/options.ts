/**
 * The options every command shares (one definition: `--env`/`-e`, `--manifests`, `--output`), and
 * what an extension command gets from the edge. Definitions only: `--help` loads this file.
 */
import * as Options from "@effect/cli/Options"
import type * as Layer from "effect/Layer"
import type { PluginError } from "../errors.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import type { Load } from "./lazy.ts"

/** `--env NAME` (`-e`): the environment, read from `<manifests>/<NAME>.yaml`. */
export const envOption = (description = "environment: reads <manifests>/<NAME>.yaml") =>
  Options.text("env").pipe(
    Options.withAlias("e"),
    Options.withPseudoName("NAME"),
    Options.withDescription(description),
  )

/** `--manifests DIR`: the folder holding the environment manifests (default `manifests`). */
export const manifestsOption = Options.directory("manifests").pipe(
  Options.withPseudoName("DIR"),
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

/** The extension configuration, loaded when an extension command runs (never for `--help`). */
export type LoadExtensionConfig<R, S> = Load<ExtensionConfig<R, S>>
