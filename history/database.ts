/** Reading the history from an environment's database. */

import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type pg from "pg"
import { PluginError, type RunContext } from "../engine/index.ts"
import { connect, dbTimeoutsOf } from "../services/database/connect.ts"
import { databaseOf, resolveDatabaseUrl } from "../services/database/url.ts"
import type { RunRecord } from "./RunRecord.ts"
import { listRuns } from "./store.ts"

/** Opens the environment's database for reading; a missing one fails with a clear message. */
export const withDatabase = <A>(ctx: RunContext, body: (c: pg.Client) => Effect.Effect<A, PluginError>) =>
  Effect.gen(function* () {
    const db = databaseOf(ctx.spec)
    if (db === undefined)
      return yield* Effect.fail(PluginError.invalid(`${ctx.env} has no database section: no history is kept`))
    const url = yield* resolveDatabaseUrl(db.url, ctx.spec)
    if (Option.isNone(url))
      return yield* Effect.fail(
        new PluginError({
          reason: "NotFound",
          detail: `${ctx.env} has no database yet: nothing was recorded`,
        }),
      )
    return yield* Effect.scoped(
      Effect.flatMap(connect(url.value, dbTimeoutsOf(ctx.spec), "reconcile history"), body),
    )
  })

/** The newest runs of `ctx`'s environment (none when it has no database yet). */
export const recentRuns = (ctx: RunContext, limit: number) =>
  withDatabase(ctx, (c) => listRuns(c, ctx.env, limit)).pipe(
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      (): Effect.Effect<ReadonlyArray<RunRecord>> => Effect.succeed([]),
    ),
  )
