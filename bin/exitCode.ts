/** A finished run's exit code, one rule for the live CLI (main.ts) and the direct `validate`. */
import * as Exit from "effect/Exit"

/** The exit code a run sets. */
export interface Status {
  code: 0 | 1 | 2 | 3 | 4
}

/** A finished run's exit code: a failure that reached the edge is a usage error (1). */
export const exitCode = (exit: Exit.Exit<unknown, unknown>, status: Status): number =>
  Exit.isSuccess(exit) ? status.code : status.code || 1
