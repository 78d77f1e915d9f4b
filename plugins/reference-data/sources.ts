/**
 * Opening a dataset's sources for one operation: its files, or (promotion) the same tables in
 * another environment's database, whose URL is read the way that environment's manifest says.
 */
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { PluginError } from "../../engine/errors.ts"
import { loadChain } from "../../engine/manifest/chain.ts"
import { allowedRoots, type SecretEnv } from "../../engine/manifest/index.ts"
import { deepMerge } from "../../engine/manifest/merge.ts"
import type { RunContext } from "../../engine/plugin/Plugin.ts"
import { connect, dbTimeoutsOf } from "../../services/database/connect.ts"
import { DatabaseUrl, type ReferenceDataSpec } from "../../services/database/section.ts"
import { resolveDatabaseUrl } from "../../services/database/url.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { readDataset } from "./dataset.ts"
import { databaseSource, fileSource, type Source } from "./source.ts"

const invalid = (detail: string) => new PluginError({ reason: "Invalid", detail })

/** The database URL of another environment, from its manifest in the same folder. */
export const environmentUrl = (
  env: string,
  manifestDir: string,
): Effect.Effect<Redacted.Redacted<string>, PluginError, HerokuApi | SecretEnv> =>
  Effect.gen(function* () {
    const chain = yield* loadChain(join(manifestDir, `${env}.yaml`), manifestDir).pipe(
      Effect.mapError((e) => invalid(`cannot read the manifest of environment ${env}: ${e.message}`)),
    )
    if (chain.fatal)
      return yield* Effect.fail(invalid(`the manifest of environment ${env} has errors; validate it`))
    const merged = chain.files.reduceRight<unknown>((acc, f) => deepMerge(acc, f.raw), undefined) as {
      spec?: Record<string, unknown>
    }
    const spec = merged.spec ?? {}
    const raw = (spec.database as { url?: unknown } | undefined)?.url
    const url = yield* Schema.decodeUnknown(DatabaseUrl)(raw).pipe(
      Effect.mapError(() => invalid(`environment ${env} declares no usable spec.database.url`)),
    )
    const resolved = yield* resolveDatabaseUrl(url, spec)
    if (Option.isNone(resolved)) {
      return yield* Effect.fail(
        new PluginError({ reason: "NotFound", detail: `environment ${env} has no database yet` }),
      )
    }
    return resolved.value
  })

/** The sources of a dataset for the scope (a source database connection is closed with it). */
export const openSources = (
  rd: ReferenceDataSpec,
  ctx: RunContext,
): Effect.Effect<ReadonlyArray<Source>, PluginError, HerokuApi | SecretEnv | Scope.Scope> =>
  Effect.gen(function* () {
    const root = allowedRoots(ctx.manifestDir)
    const dataset = yield* readDataset(root, rd.dir)
    if (rd.from === undefined)
      return yield* Effect.forEach(dataset.tables, (t) => fileSource(root, rd.dir, t))
    const url = Redacted.isRedacted(rd.from) ? rd.from : yield* environmentUrl(rd.from.env, ctx.manifestDir)
    const src = yield* connect(url, dbTimeoutsOf(ctx.spec), `reconcile reference-data source for ${ctx.env}`)
    return yield* Effect.forEach(dataset.tables, (t) => databaseSource(src, t))
  })
