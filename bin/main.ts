/**
 * The process edge: the only place that composes the engine with the plugins and their layers, runs
 * the program, and turns the run's result into the process exit code. `main` takes the plugin list
 * so the test build (test/stand-ins/reconcile.ts) can add its stand-ins; bin/reconcile.ts ships.
 * Only command definitions load here: plugins, services and handlers are imported when a command
 * runs (edge.ts), so `--help` starts without them.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import { extension, makeCli } from "../engine/cli/commands.ts"
import { ExitStatus } from "../engine/cli/exitCodes.ts"
import { type Load, once } from "../engine/cli/lazy.ts"
import { cliLogger } from "../engine/cli/logger.ts"
import type { ManifestParts } from "../engine/cli/sections.ts"
import { secretEnvFromProcess } from "../engine/manifest/SecretEnv.ts"
import type { AnyPlugin } from "../engine/plugin/Plugin.ts"
import { historyCommand } from "../history/commandLine.ts"
import pkg from "../package.json" with { type: "json" }
import { makeBackupCommand } from "../plugins/backup/commandLine.ts"
import type { PluginServices } from "../plugins/index.ts"
import { makeMigrationsCommand } from "../plugins/migrations/commandLine.ts"
import { makeReferenceDataCommand } from "../plugins/reference-data/commandLine.ts"
import { importCommand, initCommand } from "../scaffold/commandLine.ts"
import { dashboardCommand, reportCommand } from "./dashboardCommands.ts"
import { exitCode, type Status } from "./exitCode.ts"
import { wantsColour, withPlainConsole } from "./plainConsole.ts"
import { simCommand } from "./simCommand.ts"

/**
 * What the edge registers, each part loaded when a command first needs it: `--help` loads neither,
 * `validate` and `schema` only the manifest's sections and checks.
 */
export interface Registry {
  readonly plugins: Load<ReadonlyArray<AnyPlugin<PluginServices>>>
  readonly manifest: Load<ManifestParts>
}

/** The edge's CLI as a function of argv: the engine's commands and the edge's extensions. */
export const edgeCli = (registry: Registry) => {
  const plugins = once(registry.plugins)
  const edge = once(() => Promise.all([import("./edge.ts"), plugins()]))
  const extensionConfig = () => edge().then(([e, p]) => e.extensionConfig(p))
  const cli = makeCli(
    { manifest: once(registry.manifest), config: () => edge().then(([e, p]) => e.cliConfig(p)) },
    pkg.version,
    {
      commands: [
        extension(simCommand(plugins)),
        extension(historyCommand(extensionConfig)),
        extension(dashboardCommand(plugins)),
        extension(reportCommand(plugins)),
        extension(makeMigrationsCommand(extensionConfig)),
        extension(makeReferenceDataCommand(extensionConfig)),
        extension(makeBackupCommand(() => edge().then(([e, p]) => e.backupConfig(p)))),
        extension(initCommand(pkg.name)),
        extension(importCommand(pkg.name, process.env)),
      ],
      flags: {
        sim: ["env", "manifests", "port", "state", "faults"],
        history: ["env", "manifests", "limit", "output", "run"],
        dashboard: ["port", "host", "token", "interval", "budget", "manifests"],
        report: ["all", "html", "budget", "manifests"],
        migrations: [],
        "migrations resolve": ["env", "manifests", "applied", "rolled-back"],
        "migrations baseline": ["env", "manifests"],
        "reference-data": [],
        "reference-data export": ["env", "manifests"],
        init: ["dir", "force"],
        import: ["env", "app", "plain", "manifests", "force"],
        backup: [],
        "backup list": ["env", "manifests", "output"],
        "backup restore": ["env", "manifests", "backup", "allow-destroy", "dry-run"],
        "backup verify": ["env", "manifests", "backup", "scratch-server"],
      },
      choices: { history: { output: ["text", "json"] }, "backup list": { output: ["text", "json"] } },
      needsEnv: {
        history: "existing",
        "migrations resolve": "existing",
        "migrations baseline": "existing",
        "reference-data export": "existing",
        "backup list": "existing",
        "backup restore": "existing",
        "backup verify": "existing",
        import: "new",
      },
    },
  )
  return cli
}

/** One run of `cli` on `argv` with what the edge provides; `status` receives its exit code. */
export const edgeProgram = (
  cli: ReturnType<typeof edgeCli>,
  argv: ReadonlyArray<string>,
  status: Status,
  colour: { readonly stdout: boolean; readonly stderr: boolean },
) =>
  cli(argv).pipe(
    Effect.provideService(ExitStatus, status),
    Effect.provide(secretEnvFromProcess),
    Effect.provide(NodeContext.layer),
    Effect.provide(cliLogger(process.env.RECONCILE_QUIET === "1")),
    withPlainConsole(colour),
  )

/** Runs the CLI with these plugins until the process exits. */
export const main = (registry: Registry): void => {
  const status: Status = { code: 0 }
  const program = edgeProgram(edgeCli(registry), process.argv, status, {
    stdout: wantsColour(process.stdout.isTTY === true, process.env),
    stderr: wantsColour(process.stderr.isTTY === true, process.env),
  })

  // SIGINT and SIGTERM interrupt the run (NodeRuntime): its finalizers end database sessions and
  // release the apply lock. Should clean-up itself hang, the process still leaves within 5 s.
  // `sim` serves until Ctrl-C by design and stops itself.
  const signalled: { name?: "SIGINT" | "SIGTERM" } = {}
  const signalCode = { SIGINT: 130, SIGTERM: 143 } as const
  for (const name of process.argv[2] === "sim" ? [] : (["SIGINT", "SIGTERM"] as const)) {
    process.once(name, () => {
      signalled.name = name
      setTimeout(() => {
        process.stderr.write(
          `error: interrupted by ${name}; clean-up did not finish in time, exiting anyway\n`,
        )
        process.exit(signalCode[name])
      }, 4_500).unref()
    })
  }

  NodeRuntime.runMain(program, {
    disableErrorReporting: true,
    // A failure that reached here is a command-line usage error @effect/cli has already printed.
    // Exit explicitly even on 0: a library's idle timers (octokit's throttling, a keep-alive agent)
    // must not keep a finished run alive.
    teardown: (exit, onExit) => {
      // the dashboard serves until Ctrl-C by design: stopping it is a clean exit (issue 17)
      if (signalled.name !== undefined && process.argv[2] === "dashboard") {
        onExit(0)
        process.exit(0)
      }
      if (signalled.name !== undefined) {
        process.stderr.write(
          `error: interrupted by ${signalled.name}; steps already applied stay applied, run again to converge\n`,
        )
        onExit(signalCode[signalled.name])
        process.exit(signalCode[signalled.name])
      }
      const code = exitCode(exit, status)
      onExit(code)
      process.exit(code)
    },
  })
}
