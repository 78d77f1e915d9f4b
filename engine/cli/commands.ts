/**
 * The command line (@effect/cli): `reconcile --env NAME [...]`, `reconcile apply FILE`,
 * `reconcile validate`, `reconcile schema`. Definitions only (names, flags, descriptions): every
 * handler is in handlers.ts, imported when its command runs, and the plugins and services come from
 * the edge the same way, so `--help` loads neither.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as Effect from "effect/Effect"
import type { SecretEnv } from "../manifest/SecretEnv.ts"
import type { ExitStatus } from "./exitCodes.ts"
import {
  type ChoiceTable,
  type EnvNeed,
  engineFlags,
  type FlagTable,
  missingEnv,
  placeFlags,
} from "./flags.ts"
import { type Load, loaded } from "./lazy.ts"
import { envOption, manifestsOption, outputOption } from "./options.ts"
import { rollbackCommand } from "./rollbackCommand.ts"
import type { CliConfig } from "./run.ts"
import type { ManifestParts } from "./sections.ts"

/** The CLI's configuration as the edge hands it over: each part loaded when a command needs it. */
export interface CliSource<R> {
  /** What `validate` and `schema` need: the sections and checks, no plugin code. */
  readonly manifest: Load<ManifestParts>
  /** What a run needs (plugins, services, lock, reporters). */
  readonly config: Load<CliConfig<R>>
}

/** A configuration already in hand (tests, the in-process harness) as a source. */
export const sourceOf = <R>(config: CliConfig<R> | CliSource<R>): CliSource<R> =>
  "plugins" in config
    ? {
        manifest: () => import("./sections.ts").then((s) => s.manifestPartsOf(config.plugins)),
        config: () => Promise.resolve(config),
      }
    : config

const handlers = () => import("./handlers.ts")
const manifestHandlers = () => import("./manifestHandlers.ts")

const allowDestroyOption = Options.boolean("allow-destroy").pipe(
  Options.withDescription("allow destructive steps: deleting add-ons, pruning config vars, scaling to 0"),
)
const reportOption = Options.text("report").pipe(
  Options.withPseudoName("KINDS"),
  Options.withDefault(""),
  Options.withDescription(
    "extra reports, comma-separated: github-pr-comment (dry-run), github-drift-issue (dry-run with --detailed-exitcode), github-deployment (apply)",
  ),
)

/** Commands the process edge adds beside the engine's own (e.g. `reconcile sim`), and their flags. */
/** A command the edge adds; it may use what the edge provides to every command. */
export type ExtensionCommand = Command.Command<string, SecretEnv | ExitStatus, never, unknown>

/** Erases a command's parsed-arguments type so the edge can list several different ones. */
export const extension = <N extends string, R extends SecretEnv | ExitStatus, A>(
  command: Command.Command<N, R, never, A>,
): ExtensionCommand => command as unknown as ExtensionCommand

export interface CliExtensions {
  readonly commands: ReadonlyArray<ExtensionCommand>
  /** Each added command (nested ones as "migrations resolve") and the flags it takes. */
  readonly flags: FlagTable
  /**
   * The added commands that cannot run without `--env`: "existing" ones name a manifest (a missing
   * --env lists them), "new" ones the manifest to write.
   */
  readonly needsEnv?: Readonly<Record<string, EnvNeed>>
  /** Added commands whose flags take other words than the engine's (`--output` without markdown). */
  readonly choices?: ChoiceTable
}

/** Runs a handler of handlers.ts with the run's configuration. */
const withConfig =
  <R, A>(
    source: CliSource<R>,
    handler: (
      h: Awaited<ReturnType<typeof handlers>>,
      config: CliConfig<R>,
      flags: A,
    ) => Effect.Effect<void, never, SecretEnv | ExitStatus>,
  ) =>
  (flags: A) =>
    loaded(
      () => Promise.all([handlers(), source.config()]),
      ([h, config]) => handler(h, config, flags),
    )

export const makeCommand = <R>(
  config: CliConfig<R> | CliSource<R>,
  extensions: CliExtensions = { commands: [], flags: {} },
) => {
  const source = sourceOf(config)
  const root = Command.make(
    "reconcile",
    {
      env: Options.optional(envOption("environment to reconcile: reads <manifests>/<NAME>.yaml")),
      manifests: manifestsOption,
      dryRun: Options.boolean("dry-run").pipe(
        Options.withDescription("observe and print the plan; write nothing to any live system"),
      ),
      detailedExitcode: Options.boolean("detailed-exitcode").pipe(
        Options.withDescription(
          "with --dry-run: exit 2 when changes are pending or a resource is unhealthy, 0 when in sync, 1 on error",
        ),
      ),
      output: outputOption,
      out: Options.optional(
        Options.text("out").pipe(
          Options.withPseudoName("FILE"),
          Options.withDescription(
            "save the plan to FILE (nothing is applied); apply it later with `reconcile apply FILE`",
          ),
        ),
      ),
      allowDestroy: allowDestroyOption,
      report: reportOption,
    },
    withConfig(source, (h, c, flags) => h.reconcileHandler(c, flags)),
  ).pipe(
    Command.withDescription(
      "Converge a Heroku + Postgres environment to its release manifest. " +
        "Observes live state, prints the plan, applies it with retries and timeouts, and re-plans until nothing is left. " +
        "Exit codes: 0 ok/in sync, 1 error, 2 changes pending or a resource unhealthy (with --detailed-exitcode), 3 environment locked by another apply, 4 stale saved plan (or edited, or its steps differ), 130/143 interrupted by SIGINT/SIGTERM.",
    ),
  )

  const apply = Command.make(
    "apply",
    {
      file: Args.file({ name: "FILE", exists: "either" }).pipe(
        Args.withDescription("a plan saved with --out"),
      ),
      output: outputOption,
      allowDestroy: allowDestroyOption,
      report: reportOption,
    },
    withConfig(source, (h, c, flags) => h.applyHandler(c, flags)),
  ).pipe(
    Command.withDescription(
      "Apply a saved plan; refused with exit 4 if the manifest or live state changed since.",
    ),
  )

  const validate = Command.make(
    "validate",
    {
      env: Options.optional(envOption("environment to reconcile: reads <manifests>/<NAME>.yaml")),
      manifests: manifestsOption,
    },
    (flags) =>
      loaded(
        () => Promise.all([manifestHandlers(), source.manifest()]),
        ([h, parts]) => h.validateHandler(parts, flags),
      ),
  ).pipe(
    Command.withDescription(
      "Check manifests without touching any live system (all of them unless --env is given). " +
        "Problems are printed as file:line:col: path: message; exit 1 if any.",
    ),
  )

  const schema = Command.make("schema", {}, () =>
    loaded(
      () => Promise.all([manifestHandlers(), source.manifest()]),
      ([h, parts]) => h.schemaHandler(parts),
    ),
  ).pipe(
    Command.withDescription(
      "Print the manifest's JSON Schema (for editors; see manifests/manifest.schema.json).",
    ),
  )

  const envs = Command.make(
    "envs",
    {
      manifests: manifestsOption,
      json: Options.boolean("json").pipe(Options.withDescription("print a JSON array (for CI matrices)")),
      all: Options.boolean("all").pipe(
        Options.withDescription("include environments that target the local simulator"),
      ),
    },
    (flags) => loaded(manifestHandlers, (h) => h.envsHandler(flags)),
  ).pipe(
    Command.withDescription(
      "List the environments: manifests no other manifest extends, except local (simulator) ones unless --all.",
    ),
  )

  return root.pipe(
    Command.withSubcommands([
      apply,
      validate,
      schema,
      envs,
      rollbackCommand(source.config),
      ...extensions.commands,
    ]),
  )
}

/** The engine's commands that cannot run without `--env` ("" is `reconcile --env NAME`). */
const engineNeedsEnv = { "": "existing", rollback: "existing" } as const

/**
 * The CLI as a function of argv (`process.argv`, executable included). `commands` lists every
 * command as its words ("" for the top level, "migrations resolve" for a nested one): the build
 * renders each one's help ahead of time (bin/startRender.ts). `flags` lists each command's flags
 * (the README's synopsis is checked against it).
 */
export const makeCli = <R>(
  config: CliConfig<R> | CliSource<R>,
  version: string,
  extensions?: CliExtensions,
) => {
  const run = Command.run(makeCommand(config, extensions), { name: "reconcile", version })
  const table = { ...engineFlags, ...extensions?.flags }
  const needsEnv = { ...engineNeedsEnv, ...extensions?.needsEnv }
  const cli = (argv: ReadonlyArray<string>) => {
    const placed = placeFlags(argv.slice(2), table, extensions?.choices)
    if ("error" in placed) return loaded(handlers, (h) => h.usageFailure(placed.error))
    const noEnv = missingEnv(placed.args, table, needsEnv)
    return noEnv === undefined
      ? run([...argv.slice(0, 2), ...placed.args])
      : loaded(manifestHandlers, (h) => h.envRequiredHandler(noEnv))
  }
  return Object.assign(cli, { commands: Object.keys(table) as ReadonlyArray<string>, flags: table })
}
