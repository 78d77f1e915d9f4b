/**
 * Exit codes, derived from run data and errors. 0 success (in sync), 1 error, 2 changes pending or
 * a health problem (only with --detailed-exitcode), 3 another apply holds the lock, 4 stale saved plan.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { Summary } from "../apply/Summary.ts"
import type { Plan } from "../plan/Plan.ts"

export const ExitCode = { ok: 0, error: 1, changes: 2, locked: 3, stale: 4 } as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * A plan with an error problem exits 1 (it cannot be applied); otherwise, when asked, changes or an
 * unhealthy resource (a crashed dyno, a backup older than its limit) are 2, as drift is.
 */
export const exitCodeForPlan = (plan: Plan, detailed: boolean): ExitCode =>
  plan.errors.length > 0
    ? ExitCode.error
    : detailed && (!plan.isEmpty || plan.unhealthy.length > 0)
      ? ExitCode.changes
      : ExitCode.ok

export const exitCodeForSummary = (summary: Summary): ExitCode => (summary.ok ? ExitCode.ok : ExitCode.error)

/** Where a command leaves its exit code for the process edge to use. */
export class ExitStatus extends Context.Tag("reconcile/ExitStatus")<ExitStatus, { code: ExitCode }>() {}

export const setExitCode = (code: ExitCode) =>
  Effect.flatMap(ExitStatus, (status) =>
    Effect.sync(() => {
      status.code = code
    }),
  )
