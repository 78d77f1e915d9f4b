/**
 * Run history wiring (issue 17): an apply is recorded through the CLI's `recordApply` hook (under
 * the apply's lock, with its services); a rollback is recorded after `reconcile rollback` finishes,
 * by wrapping that command's handler, so the release plugin's command stays as it is.
 */
import * as Command from "@effect/cli/Command"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Summary } from "../engine/apply/Summary.ts"
import { ExitStatus } from "../engine/cli/exitCodes.ts"
import { openEnvironment } from "../engine/cli/session.ts"
import type { AnyPlugin, RunContext } from "../engine/plugin/Plugin.ts"
import { runOfSummary } from "../history/fromSummary.ts"
import { type FinishedRun, recordRun } from "../history/record.ts"
import type { PluginServices } from "../plugins/index.ts"
import { servicesFor } from "./services.ts"

/** The CLI's `recordApply` hook. */
export const recordApply = (ctx: RunContext, summary: Summary) =>
  recordRun(ctx, process.env, runOfSummary(summary))

/** The `backup restore` command's `record` hook. */
export const recordRestore = (ctx: RunContext, run: FinishedRun) => recordRun(ctx, process.env, run)

interface RollbackFlags {
  readonly env: string
  readonly manifests: string
  readonly to: Option.Option<string>
  readonly dryRun: boolean
}

/** Records every `reconcile rollback` whose manifest loads, succeeded or failed. */
export const withRollbackHistory = <N extends string, R, E>(
  command: Command.Command<N, R, E, RollbackFlags>,
  plugins: ReadonlyArray<AnyPlugin<PluginServices>>,
) =>
  Command.transformHandler(command, (handler, flags) =>
    Effect.gen(function* () {
      const startedAt = new Date(yield* Clock.currentTimeMillis)
      yield* handler
      if (flags.dryRun) return // a preview changed nothing: not a run to remember
      const status = yield* ExitStatus
      const session = yield* Effect.option(openEnvironment(plugins, flags))
      if (Option.isNone(session)) return // the handler already said why the manifest is unusable
      const { ctx, manifest } = session.value
      const notes = yield* recordRun(ctx, process.env, {
        kind: "rollback",
        startedAt,
        finishedAt: new Date(yield* Clock.currentTimeMillis),
        outcome: status.code === 0 ? "succeeded" : "failed",
        manifestDigest: manifest.digest,
        backup: null,
        summary: {
          kind: "rollback",
          to: Option.getOrElse(flags.to, () => "previous"),
          exitCode: status.code,
        },
      }).pipe(
        Effect.provide(servicesFor(ctx)),
        Effect.catchAll((e) => Effect.succeed([`run history not recorded: ${e.message}`])),
      )
      yield* Effect.forEach(notes, (n) => Console.error(`note: ${n}`))
    }),
  )
