/**
 * Recording a run in the environment's own database. Recording never fails a run: whatever goes
 * wrong (no database yet, unreachable, refused) comes back as a note the CLI prints after the run.
 */
import { randomBytes } from "node:crypto"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { RunContext } from "../engine/index.ts"
import { connect, dbTimeoutsOf } from "../services/database/connect.ts"
import { databaseOf, resolveDatabaseUrl } from "../services/database/url.ts"
import { appNameIn } from "../services/heroku/app.ts"
import type { HerokuApi } from "../services/heroku/HerokuApi.ts"
import { currentRelease } from "../services/heroku/releases.ts"
import { actorFrom } from "./actor.ts"
import { type RunKind, type RunOutcome, RunRecord, runIdFor } from "./RunRecord.ts"
import { insertRun } from "./store.ts"

/** What a command knows about a run it finished. */
export interface FinishedRun {
  readonly kind: RunKind
  readonly startedAt: Date
  readonly finishedAt: Date
  readonly outcome: RunOutcome
  readonly manifestDigest: string | null
  /** The release the run produced; when unknown, the app's current release is looked up. */
  readonly release?: string
  readonly backup: string | null
  /** Secret-free summary JSON (the encoded Summary, or the rollback's result). */
  readonly summary: unknown
}

const notRecorded = (why: string) => [`run history not recorded: ${why}`]

const releaseNow = (spec: RunContext["spec"]) => {
  const app = appNameIn(spec)
  return app === undefined
    ? Effect.succeed(null)
    : currentRelease(app).pipe(
        Effect.map((r) => (r === null ? null : `v${r.version}`)),
        Effect.orElseSucceed(() => null),
      )
}

/** Records `run` in `ctx`'s environment database; returns notes on what could not be recorded. */
export const recordRun = (
  ctx: RunContext,
  env: Readonly<Record<string, string | undefined>>,
  run: FinishedRun,
): Effect.Effect<ReadonlyArray<string>, never, HerokuApi> =>
  Effect.gen(function* () {
    const db = databaseOf(ctx.spec)
    if (db === undefined) return notRecorded("the manifest has no database section to keep it in")
    const url = yield* resolveDatabaseUrl(db.url, ctx.spec)
    if (Option.isNone(url)) return notRecorded("the environment has no database yet")
    const record = new RunRecord({
      id: runIdFor(run.startedAt, randomBytes(3).toString("hex")),
      env: ctx.env,
      kind: run.kind,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      actor: yield* actorFrom(env, ctx.manifestDir),
      manifestDigest: run.manifestDigest,
      outcome: run.outcome,
      release: run.release ?? (yield* releaseNow(ctx.spec)),
      backup: run.backup,
    })
    yield* Effect.scoped(
      Effect.flatMap(connect(url.value, dbTimeoutsOf(ctx.spec), "reconcile history"), (client) =>
        insertRun(client, record, run.summary),
      ),
    )
    return []
  }).pipe(
    Effect.timeoutFail({
      duration: Duration.seconds(20),
      onTimeout: () => ({ message: "the database did not answer within 20s" }),
    }),
    Effect.catchAll((e) => Effect.succeed(notRecorded(e.message))),
  )
