/**
 * The `reference-data` plugin (wave `reference-data`): a versioned dataset of tables converged in one
 * transaction with COPY and set-based upserts; a step per table that changes.
 */
import * as Effect from "effect/Effect"
import { definePlugin, done, type RunContext } from "../../engine/index.ts"
import { connect, dbTimeoutsOf } from "../../services/database/connect.ts"
import { type DatabaseSpec, databaseSection } from "../../services/database/section.ts"
import { requireDatabaseUrl } from "../../services/database/url.ts"
import { diffReferenceData, type ReferenceChange, type ReferenceLive } from "./diff.ts"
import { observeReferenceData } from "./observe.ts"
import { openSources } from "./source.ts"
import { applyDataset, type TableChange } from "./sync.ts"
import { referenceDataProblems } from "./validate.ts"

/** The last transaction's counts per environment, so sibling steps can report what it did. */
const recent = new Map<string, { readonly at: number; readonly tables: ReadonlyArray<TableChange> }>()

const describe = (t: TableChange | undefined) =>
  t === undefined ? "no changes" : `inserted ${t.inserted}, updated ${t.updated}, deleted ${t.deleted}`

/** Applies the whole dataset (idempotent: a second run changes nothing). */
export const applyReferenceData = (change: ReferenceChange, ctx: RunContext) =>
  Effect.scoped(
    Effect.gen(function* () {
      const db = ctx.spec.database as DatabaseSpec
      const rd = db.referenceData
      if (rd === undefined) return done("no reference data declared")
      const sources = yield* openSources(rd, ctx)
      const url = yield* requireDatabaseUrl(db.url, ctx.spec)
      const client = yield* connect(url, dbTimeoutsOf(ctx.spec), `reconcile reference-data ${ctx.env}`)
      const tables = yield* applyDataset(client, sources, {
        prune: rd.prune === true,
        version: rd.version,
        env: ctx.env,
      })
      const mine = tables.find((t) => t.table === change.table)
      const changed = tables.some((t) => t.inserted + t.updated + t.deleted > 0)
      if (changed) recent.set(ctx.env, { at: Date.now(), tables })
      const earlier = recent.get(ctx.env)
      const reported =
        !changed && earlier !== undefined && Date.now() - earlier.at < 600_000
          ? earlier.tables.find((t) => t.table === change.table)
          : mine
      const outputs = { referenceDataVersion: rd.version }
      return change.table === "(version)"
        ? done(`recorded reference data version ${rd.version}`, outputs)
        : done(`${change.table}: ${describe(reported)} (one transaction for the dataset)`, outputs)
    }),
  )

export const referenceDataPlugin = definePlugin({
  name: "reference-data",
  section: databaseSection,
  wave: "reference-data",
  observe: (desired: DatabaseSpec, ctx) => observeReferenceData(desired, ctx),
  diff: (desired: DatabaseSpec, live: ReferenceLive) =>
    desired.referenceData === undefined ? [] : diffReferenceData(desired.referenceData, live),
  apply: applyReferenceData,
  validate: referenceDataProblems,
})
