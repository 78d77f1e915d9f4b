/**
 * Observing reference data: compare the dataset with the database (in a rolled-back transaction).
 * A database that does not exist yet (dry-run) means every row is an insert.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { PluginError, RunContext, SecretEnv } from "../../engine/index.ts"
import { dbTimeoutsOf, isMissingDatabase } from "../../services/database/connect.ts"
import { Database } from "../../services/database/Database.ts"
import { resolveDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { ReferenceLive } from "./diff.ts"
import { datasetRow, readLedger } from "./ledger.ts"
import { openSources } from "./source.ts"
import type { DatabaseSpec } from "./spec.ts"
import { compareDataset } from "./sync.ts"

export const observeReferenceData = (
  db: DatabaseSpec,
  ctx: RunContext,
): Effect.Effect<ReferenceLive, PluginError, HerokuApi | SecretEnv | Database> =>
  Effect.scoped(
    Effect.gen(function* () {
      const rd = db.referenceData
      if (rd === undefined) return { database: "present", tables: [], version: null } as const
      const sources = yield* openSources(rd, ctx)
      // absent until the add-on is provisioned: everything is pending (apply requires it)
      const url = yield* resolveDatabaseUrl(db.url, ctx.spec)
      const client = Option.isNone(url)
        ? Option.none()
        : yield* (yield* Database).connect(url.value, dbTimeoutsOf(ctx.spec)).pipe(
            Effect.map(Option.some),
            Effect.catchIf(
              (e) => isMissingDatabase(e),
              () => Effect.succeed(Option.none()),
            ),
          )
      if (Option.isNone(client)) {
        const tables = yield* Effect.forEach(sources, (s) =>
          Effect.map(s.count, (inserted) => ({
            table: s.table.table,
            current: null,
            inserted,
            updated: 0,
            deleted: 0,
            samples: { inserted: s.sampleKeys(), updated: [], deleted: [] },
            digest: "",
          })),
        )
        return { database: "missing", tables, version: null } as const
      }
      const tables = yield* compareDataset(client.value, sources)
      const ledger = yield* readLedger(client.value)
      return {
        database: "present",
        tables,
        version: ledger.find((l) => l.name === datasetRow)?.version ?? null,
      } as const
    }),
  )
