/**
 * What `reconcile rollback` does: a run in rollback mode. The session keeps only the plugins that
 * take part in a rollback (the release plugin plans one `release/rollback` step, the health plugin
 * verifies the release it made current), so the plan, the lock, the destructive-change rules, the
 * executor's retries, the converge re-plan, the summary and the run history are the ones every
 * apply has. The engine knows nothing of Heroku: it only carries the request in
 * `RunContext.rollback`.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { UsageError } from "../errors.ts"
import type { OutputFormat } from "../render/index.ts"
import { reportErrors } from "./report.ts"
import { type CliConfig, runReconcile } from "./run.ts"

/** `v12` or `12` as a release version. */
export const parseVersion = (raw: string): number | UsageError => {
  const n = Number(raw.replace(/^v/, ""))
  return /^v?\d+$/.test(raw) && Number.isSafeInteger(n) && n > 0
    ? n
    : new UsageError({ detail: `--to ${raw}: expected a release version such as v12` })
}

export const rollbackHandler = <R>(
  config: CliConfig<R>,
  flags: {
    readonly env: string
    readonly manifests: string
    readonly to: Option.Option<string>
    readonly dryRun: boolean
    readonly output: OutputFormat
    readonly out: Option.Option<string>
  },
) =>
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
  )
