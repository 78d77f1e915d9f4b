/**
 * Applying a backup: Heroku's Data API or a local pg_dump. A Heroku capture whose answer was lost is
 * adopted by `backupLanded` (the executor asks it before it resends), never started twice.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import { type ApplyResult, type PluginError, type RunContext, RunState } from "../../engine/index.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import type { Snapshot } from "./catalog.ts"
import type { BackupChange } from "./diff.ts"
import { herokuBackup, herokuLanded } from "./heroku.ts"
import { pgDumpBackup } from "./pgDump.ts"
import { remember, trySnapshot, whenDone } from "./record.ts"
import type { DatabaseSpec } from "./spec.ts"
import { firstAttempt, taken } from "./state.ts"

/** Records the backup once it is done; a later pass that needs another backup then starts afresh. */
const settle = <R>(
  ctx: RunContext,
  url: Redacted.Redacted<string>,
  now: Date,
  snap: Either.Either<Snapshot, PluginError>,
  captured: ApplyResult<R>,
) =>
  Effect.gen(function* () {
    const out = yield* whenDone(captured, remember(url, ctx.spec, ctx.env, now, snap))
    if (out._tag === "Done") yield* (yield* RunState).remove(firstAttempt, ctx.env)
    return out
  })

/** Takes this run's backup. */
export const applyBackup = (change: BackupChange, ctx: RunContext) => {
  const db = ctx.spec.database as DatabaseSpec
  return Effect.gen(function* () {
    const state = yield* RunState
    const now = new Date(yield* Clock.currentTimeMillis)
    yield* state.set(taken, true, ctx.env)
    // the first attempt's view of the transfers: a lost capture is looked for above it (backupLanded)
    const seen = (newest: number) =>
      Effect.flatMap(state.get(firstAttempt, ctx.env), (kept) =>
        Option.isSome(kept) ? Effect.void : state.set(firstAttempt, newest, ctx.env),
      )
    const url = yield* requireDatabaseUrl(db.url, ctx.spec)
    // the source's row counts and ledger just before the capture, for restore tests (catalog.ts)
    const snap = yield* trySnapshot(url, ctx.spec)
    const captured = yield* change.provider === "heroku"
      ? herokuBackup(db, ctx, seen)
      : pgDumpBackup(url, ctx)
    return yield* settle(ctx, url, now, snap, captured)
  })
}

/**
 * Whether a capture request whose answer was lost landed: the capture above the first attempt's
 * view, adopted (followed and recorded as this run's backup). A pg_dump runs here, so nothing is lost.
 */
export const backupLanded = (change: BackupChange, ctx: RunContext) => {
  const db = ctx.spec.database as DatabaseSpec
  return Effect.gen(function* () {
    const state = yield* RunState
    const after = yield* state.get(firstAttempt, ctx.env)
    if (change.provider !== "heroku" || Option.isNone(after)) return Option.none()
    const now = new Date(yield* Clock.currentTimeMillis)
    const mine = yield* herokuLanded(db, ctx, after.value)
    if (Option.isNone(mine)) return Option.none()
    const url = yield* requireDatabaseUrl(db.url, ctx.spec)
    const snap = yield* trySnapshot(url, ctx.spec)
    return Option.some(yield* settle(ctx, url, now, snap, mine.value))
  })
}
