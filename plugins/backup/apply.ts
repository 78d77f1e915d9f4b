/** Applying a backup: Heroku's Data API or a local pg_dump; retries adopt the first attempt's capture. */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type RunContext, RunState } from "../../engine/index.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import type { BackupChange } from "./diff.ts"
import { herokuBackup } from "./heroku.ts"
import { pgDumpBackup } from "./pgDump.ts"
import { remember, trySnapshot, whenDone } from "./record.ts"
import type { DatabaseSpec } from "./spec.ts"
import { firstAttempt, taken } from "./state.ts"

/** Takes (or, on a retry, adopts) this run's backup. */
export const applyBackup = (change: BackupChange, ctx: RunContext) => {
  const db = ctx.spec.database as DatabaseSpec
  return Effect.gen(function* () {
    const state = yield* RunState
    const now = new Date(yield* Clock.currentTimeMillis)
    yield* state.set(taken, true, ctx.env)
    // every attempt until this backup succeeds adopts only what came after the first attempt's view
    const baseline = (newest: number) =>
      state.get(firstAttempt, ctx.env).pipe(
        Effect.map(Option.getOrElse(() => newest)),
        Effect.tap((n) => state.set(firstAttempt, n, ctx.env)),
      )
    const url = yield* requireDatabaseUrl(db.url, ctx.spec)
    // the source's row counts and ledger just before the capture, for restore tests (catalog.ts)
    const snap = yield* trySnapshot(url, ctx.spec)
    const captured = yield* change.provider === "heroku"
      ? herokuBackup(db, ctx, baseline)
      : pgDumpBackup(url, ctx)
    const result = yield* whenDone(captured, remember(url, ctx.spec, ctx.env, now, snap))
    // a later pass that needs another backup starts a fresh one
    if (result._tag === "Done") yield* state.remove(firstAttempt, ctx.env)
    return result
  })
}
