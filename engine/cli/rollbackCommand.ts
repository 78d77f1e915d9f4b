/**
 * `reconcile rollback --env NAME [--to vN] [--dry-run] [--out FILE] [--output ...]`: a run like any
 * other, in rollback mode (see rollbackRun.ts). The definition only: its handler is imported when it
 * runs.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { type Load, loaded } from "./lazy.ts"
import { envOption, manifestsOption, outputOption } from "./options.ts"
import type { CliConfig } from "./run.ts"

export const rollbackCommand = <R>(config: Load<CliConfig<R>>) =>
  Command.make(
    "rollback",
    {
      env: envOption("environment to roll back"),
      manifests: manifestsOption,
      to: Options.text("to").pipe(
        Options.withPseudoName("vN"),
        Options.optional,
        Options.withDescription("release to roll back to, e.g. v12 (default: the previous eligible one)"),
      ),
      dryRun: Options.boolean("dry-run").pipe(
        Options.withDescription("print the rollback's plan; nothing is written"),
      ),
      output: outputOption,
      out: Options.optional(
        Options.text("out").pipe(
          Options.withPseudoName("FILE"),
          Options.withDescription("save the rollback's plan to FILE; apply it with `reconcile apply FILE`"),
        ),
      ),
    },
    (flags) =>
      loaded(
        () => Promise.all([import("./rollbackRun.ts"), config()]),
        ([m, c]) => m.rollbackHandler(c, flags),
      ),
  ).pipe(
    Command.withDescription(
      "Roll the app back to an earlier release's slug and config through a plan: preview with --dry-run, " +
        "then apply under the lock and verify health. The database is not touched; the plan names the backup to restore when its migrations are ahead. " +
        "Example: reconcile rollback --env production --to v12 --dry-run, then the same without --dry-run to apply it (or --out rollback.json, then reconcile apply rollback.json).",
    ),
  )
