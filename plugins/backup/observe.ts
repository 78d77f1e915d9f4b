/** Observing backup: only whether this run already took one (what changes the database comes from the plan). */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type RunContext, RunState } from "../../engine/index.ts"
import type { BackupLive } from "./diff.ts"
import type { DatabaseSpec } from "./spec.ts"
import { taken } from "./state.ts"

/** Whether this run already took a backup, and whether one is wanted on every apply. */
export const observeBackup = (db: DatabaseSpec, ctx: RunContext) =>
  Effect.gen(function* () {
    const state = yield* RunState
    const takenThisRun = Option.isSome(yield* state.get(taken, ctx.env))
    return { takenThisRun, always: db.backup?.always === true } satisfies BackupLive
  })
