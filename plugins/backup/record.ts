/**
 * Tying a backup to its catalog entry: the snapshot is read just before the capture starts and
 * recorded once the capture is done (through any number of Pending checks). Recording never fails
 * the backup itself: the dump is still good, only a later restore test lacks its counts, and the
 * step's message says so.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import type pg from "pg"
import { type ApplyResult, type Done, type PluginError, pending } from "../../engine/index.ts"
import { dbTimeoutsOf } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import { recordBackup, type Snapshot, snapshot } from "./catalog.ts"

/** Runs `body` on a session of `url`, closed afterwards. */
export const onDatabase = <A, R>(
  url: Redacted.Redacted<string>,
  spec: Readonly<Record<string, unknown>>,
  body: (c: pg.Client) => Effect.Effect<A, PluginError, R>,
  name = "reconcile backup",
) =>
  Effect.scoped(
    Effect.flatMap(Database, (d) => d.connect(url, dbTimeoutsOf(spec), name)).pipe(Effect.flatMap(body)),
  )

/** `f` applied to the result once it is Done, however many Pending checks come first. */
export const whenDone = <R, R2>(
  result: ApplyResult<R>,
  f: (d: Done) => Effect.Effect<Done, never, R2>,
): Effect.Effect<ApplyResult<R | R2>, never, R2> =>
  result._tag === "Done"
    ? f(result)
    : Effect.succeed(
        pending<R | R2>(
          result.message,
          Effect.flatMap(result.check, (next) => whenDone(next, f)),
          result.interval,
        ),
      )

/** The snapshot of the source, or why it could not be read. */
export const trySnapshot = (url: Redacted.Redacted<string>, spec: Readonly<Record<string, unknown>>) =>
  Effect.either(onDatabase(url, spec, snapshot))

/** Records a finished backup with its snapshot; a failure becomes a note in the step's message. */
export const remember =
  (
    url: Redacted.Redacted<string>,
    spec: Readonly<Record<string, unknown>>,
    env: string,
    takenAt: Date,
    snap: Either.Either<Snapshot, PluginError>,
  ) =>
  (d: Done): Effect.Effect<Done, never, Database> => {
    const id = d.outputs?.backup
    if (id === undefined) return Effect.succeed(d)
    const note = (why: string): Done => ({
      ...d,
      message: `${d.message ?? "backed up"} (row counts not recorded for restore tests: ${why})`,
    })
    if (Either.isLeft(snap)) return Effect.succeed(note(snap.left.message))
    return onDatabase(url, spec, (c) => recordBackup(c, env, id, takenAt, snap.right)).pipe(
      Effect.as(d),
      Effect.catchAll((e) => Effect.succeed(note(e.message))),
    )
  }
