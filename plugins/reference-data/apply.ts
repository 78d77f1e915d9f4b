/** Applying reference data: the whole dataset in one transaction, recorded with its version. */
import * as Effect from "effect/Effect"
import { done, type RunContext } from "../../engine/index.ts"
import { dbTimeoutsOf } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import type { ReferenceChange } from "./diff.ts"
import { openSources } from "./source.ts"
import type { DatabaseSpec } from "./spec.ts"
import { applyDataset, type TableChange } from "./sync.ts"

const describe = (tables: ReadonlyArray<TableChange>) => {
  const changed = tables.filter((t) => t.inserted + t.updated + t.deleted > 0)
  return changed.length === 0
    ? "no row changes"
    : changed
        .map((t) => `${t.table}: inserted ${t.inserted}, updated ${t.updated}, deleted ${t.deleted}`)
        .join("; ")
}

/** Applies the whole dataset in one transaction (idempotent: a second run changes nothing). */
export const applyReferenceData = (_change: ReferenceChange, ctx: RunContext) =>
  Effect.scoped(
    Effect.gen(function* () {
      const db = ctx.spec.database as DatabaseSpec
      const rd = db.referenceData
      if (rd === undefined) return done("no reference data declared")
      const sources = yield* openSources(rd, ctx)
      const url = yield* requireDatabaseUrl(db.url, ctx.spec)
      const client = yield* (yield* Database).connect(
        url,
        dbTimeoutsOf(ctx.spec),
        `reconcile reference-data ${ctx.env}`,
      )
      const tables = yield* applyDataset(client, sources, {
        prune: rd.prune === true,
        version: rd.version,
        env: ctx.env,
      })
      return done(`reference data ${rd.version} recorded: ${describe(tables)}`, {
        referenceDataVersion: rd.version,
      })
    }),
  )
