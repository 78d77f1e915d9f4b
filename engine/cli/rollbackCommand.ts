/**
 * `reconcile rollback --env NAME [--to vN] [--dry-run] [--out FILE] [--output ...]`: a run like any
 * other, in rollback mode. The session keeps only the plugins that take part in a rollback (the
 * release plugin plans one `release/rollback` step, the health plugin verifies the release it made
 * current), so the plan, the lock, the destructive-change rules, the executor's retries, the
 * converge re-plan, the summary and the run history are the ones every apply has. The engine knows
 * nothing of Heroku: it only carries the request in `RunContext.rollback`.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UsageError } from "../errors.ts"
import { envOption, manifestsOption, outputOption } from "./options.ts"
import { reportErrors } from "./report.ts"
import { type CliConfig, runReconcile } from "./run.ts"

/** `v12` or `12` as a release version. */
export const parseVersion = (raw: string): number | UsageError => {
  const n = Number(raw.replace(/^v/, ""))
  return /^v?\d+$/.test(raw) && Number.isSafeInteger(n) && n > 0
    ? n
    : new UsageError({ detail: `--to ${raw}: expected a release version such as v12` })
}

export const rollbackCommand = <R>(config: CliConfig<R>) =>
  Command.make(
    "rollback",
    {
      env: envOption("environment to roll back"),
      manifests: manifestsOption,
      to: Options.text("to").pipe(
        Options.optional,
        Options.withDescription("release to roll back to, e.g. v12 (default: the previous eligible one)"),
      ),
      dryRun: Options.boolean("dry-run").pipe(
        Options.withDescription("print the rollback's plan; nothing is written"),
      ),
      output: outputOption,
      out: Options.optional(
        Options.text("out").pipe(
          Options.withDescription("save the rollback's plan to FILE; apply it with `reconcile apply FILE`"),
        ),
      ),
    },
    (flags) =>
      reportErrors(
        Effect.gen(function* () {
          const to = Option.map(flags.to, parseVersion)
          if (Option.isSome(to) && typeof to.value !== "number") return yield* Effect.fail(to.value)
          yield* runReconcile(config, {
            env: flags.env,
            manifests: flags.manifests,
            dryRun: flags.dryRun,
            detailedExitcode: false,
            output: flags.output,
            out: Option.getOrUndefined(flags.out),
            allowDestroy: false,
            report: [],
            rollback: Option.isSome(to) ? { to: to.value as number } : {},
          })
        }),
      ),
  ).pipe(
    Command.withDescription(
      "Roll the app back to an earlier release's slug and config through a plan: preview with --dry-run, " +
        "then apply under the lock and verify health. The database is not touched; the plan names the backup to restore when its migrations are ahead.",
    ),
  )
