/**
 * What a run (`reconcile --env`, `reconcile apply`) does once parsed (commands.ts holds the
 * definitions). Loaded only when one runs: `--help`, `validate` and `schema` never load this file,
 * nor the planner, executor and renderers behind it.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UsageError } from "../errors.ts"
import type { OutputFormat } from "../render/index.ts"
import { envRequired } from "./manifestHandlers.ts"
import { reportErrors } from "./report.ts"
import { type CliConfig, runReconcile, runSavedPlan } from "./run.ts"

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

/** A usage error found before @effect/cli parsed anything (see flags.ts). */
export const usageFailure = (detail: string) => reportErrors(Effect.fail(new UsageError({ detail })))

/** `reconcile --env NAME [...]`. */
export const reconcileHandler = <R>(
  config: CliConfig<R>,
  flags: {
    readonly env: Option.Option<string>
    readonly manifests: string
    readonly dryRun: boolean
    readonly detailedExitcode: boolean
    readonly output: OutputFormat
    readonly out: Option.Option<string>
    readonly allowDestroy: boolean
    readonly report: string
  },
) =>
  reportErrors(
    Effect.gen(function* () {
      if (Option.isNone(flags.env))
        return yield* envRequired({ command: "", need: "existing", manifests: flags.manifests })
      const report = yield* reportKinds(config, flags.report)
      yield* runReconcile(config, {
        ...flags,
        env: flags.env.value,
        out: Option.getOrUndefined(flags.out),
        report,
      })
    }),
  )

/** `reconcile apply FILE`. */
export const applyHandler = <R>(
  config: CliConfig<R>,
  flags: {
    readonly file: string
    readonly output: OutputFormat
    readonly allowDestroy: boolean
    readonly report: string
  },
) =>
  reportErrors(
    Effect.flatMap(reportKinds(config, flags.report), (report) => runSavedPlan(config, { ...flags, report })),
  )
