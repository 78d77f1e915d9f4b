/**
 * Turns every error a command can end with into one clear message on stderr and its exit code.
 * No stack traces for user errors; a defect (a bug) is reported once, as a bug.
 */
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type { LockHeldError, PluginError, StalePlanError, UsageError } from "../errors.ts"
import { formatProblem, type ManifestError } from "../manifest/index.ts"
import { ExitCode, setExitCode } from "./exitCodes.ts"

export type CommandError = ManifestError | PluginError | StalePlanError | LockHeldError | UsageError

const fail = (message: string, code: ExitCode) =>
  Console.error(message).pipe(Effect.zipRight(setExitCode(code)))

export const reportErrors = <A, R>(effect: Effect.Effect<A, CommandError, R>) =>
  effect.pipe(
    Effect.catchTags({
      ManifestError: (e) =>
        fail(
          `${e.problems.map(formatProblem).join("\n")}\n` +
            `${e.problems.length} problem(s) in the manifest; nothing was observed or applied.`,
          ExitCode.error,
        ),
      PluginError: (e) => fail(`error: ${e.message} (${e.reason})`, ExitCode.error),
      StalePlanError: (e) => fail(`error: ${e.message}`, ExitCode.stale),
      LockHeldError: (e) => fail(`error: ${e.message}`, ExitCode.locked),
      UsageError: (e) => fail(`error: ${e.message}`, ExitCode.error),
    }),
    Effect.catchAllDefect((defect) =>
      fail(
        `internal error (a bug in reconcile, please report it):\n${Cause.pretty(Cause.die(defect))}`,
        ExitCode.error,
      ),
    ),
  )
