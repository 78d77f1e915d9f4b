/**
 * The command line (@effect/cli): `reconcile --env NAME [...]`, `reconcile apply FILE`,
 * `reconcile validate`, `reconcile schema`. Handlers only translate flags and call run.ts.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UsageError } from "../errors.ts"
import {
  deployableEnvironments,
  listEnvironments,
  loadManifest,
  manifestJsonSchema,
  type SecretEnv,
} from "../manifest/index.ts"
import { ExitCode, type ExitStatus, setExitCode } from "./exitCodes.ts"
import { engineFlags, type FlagTable, placeFlags } from "./flags.ts"
import { envOption, manifestsOption, outputOption } from "./options.ts"
import { reportErrors } from "./report.ts"
import { rollbackCommand } from "./rollbackCommand.ts"
import { type CliConfig, runReconcile, runSavedPlan } from "./run.ts"
import { checksOf, sectionsOf } from "./session.ts"

const allowDestroyOption = Options.boolean("allow-destroy").pipe(
  Options.withDescription("allow destructive steps: deleting add-ons, pruning config vars, scaling to 0"),
)
const reportOption = Options.text("report").pipe(
  Options.withDefault(""),
  Options.withDescription(
    "extra reports, comma-separated: github-pr-comment (dry-run), github-drift-issue (dry-run with --detailed-exitcode), github-deployment (apply)",
  ),
)

/** Splits and checks `--report` against what the configured reporters understand. */
const reportKinds = <R>(
  config: CliConfig<R>,
  raw: string,
): Effect.Effect<ReadonlyArray<string>, UsageError> => {
  const asked = raw
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k !== "")
  const known = (config.reporters ?? []).flatMap((r) => r.kinds)
  const unknown = asked.filter((k) => !known.includes(k))
  return unknown.length === 0
    ? Effect.succeed(asked)
    : Effect.fail(
        new UsageError({
          detail: `unknown --report ${unknown.join(", ")} (known: ${known.length === 0 ? "none" : known.join(", ")})`,
        }),
      )
}

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
}

export const makeCommand = <R>(
  config: CliConfig<R>,
  extensions: CliExtensions = { commands: [], flags: {} },
) => {
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
          Options.withDescription(
            "save the plan to FILE (nothing is applied); apply it later with `reconcile apply FILE`",
          ),
        ),
      ),
      allowDestroy: allowDestroyOption,
      report: reportOption,
    },
    (flags) =>
      reportErrors(
        Effect.gen(function* () {
          if (Option.isNone(flags.env)) {
            return yield* new UsageError({
              detail: "--env NAME is required (try `reconcile --help`, or `reconcile validate`)",
            })
          }
          const report = yield* reportKinds(config, flags.report)
          yield* runReconcile(config, {
            ...flags,
            env: flags.env.value,
            out: Option.getOrUndefined(flags.out),
            report,
          })
        }),
      ),
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
      file: Args.file({ name: "FILE", exists: "yes" }).pipe(Args.withDescription("a plan saved with --out")),
      output: outputOption,
      allowDestroy: allowDestroyOption,
      report: reportOption,
    },
    (flags) =>
      reportErrors(
        Effect.flatMap(reportKinds(config, flags.report), (report) =>
          runSavedPlan(config, { ...flags, report }),
        ),
      ),
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
      reportErrors(
        Effect.gen(function* () {
          const envs = Option.isSome(flags.env) ? [flags.env.value] : yield* listEnvironments(flags.manifests)
          const sections = sectionsOf(config.plugins)
          const checks = checksOf(config.plugins)
          for (const env of envs) {
            const m = yield* loadManifest({ dir: flags.manifests, env, sections, checks })
            yield* Console.log(`${m.file}: valid (${Object.keys(m.spec).length} section(s))`)
          }
          yield* setExitCode(ExitCode.ok)
        }),
      ),
  ).pipe(
    Command.withDescription(
      "Check manifests without touching any live system (all of them unless --env is given). " +
        "Problems are printed as file:line:col: path: message; exit 1 if any.",
    ),
  )

  const schema = Command.make("schema", {}, () =>
    Console.log(JSON.stringify(manifestJsonSchema(sectionsOf(config.plugins)), null, 2)),
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
    (flags) =>
      reportErrors(
        Effect.flatMap(deployableEnvironments(flags.manifests, { includeLocal: flags.all }), (names) =>
          Console.log(flags.json ? JSON.stringify(names) : names.join("\n")),
        ),
      ),
  ).pipe(
    Command.withDescription(
      "List the environments: manifests no other manifest extends, except local (simulator) ones unless --all.",
    ),
  )

  return root.pipe(
    Command.withSubcommands([apply, validate, schema, envs, rollbackCommand(config), ...extensions.commands]),
  )
}

/** The CLI as a function of argv (`process.argv`, executable included). */
export const makeCli = <R>(config: CliConfig<R>, version: string, extensions?: CliExtensions) => {
  const run = Command.run(makeCommand(config, extensions), { name: "reconcile", version })
  return (argv: ReadonlyArray<string>) => {
    const placed = placeFlags(argv.slice(2), { ...engineFlags, ...extensions?.flags })
    return "error" in placed
      ? reportErrors(Effect.fail(new UsageError({ detail: placed.error })))
      : run([...argv.slice(0, 2), ...placed.args])
  }
}
