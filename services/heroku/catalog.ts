/**
 * The platform's catalogs: dyno sizes (`/dyno-sizes`) and each add-on service's plans
 * (`/addon-services/{service}/plans`). Plugins read them only when a plan needs them (a size or plan
 * that is not the live one), at most once per run: the answers are kept in the run's `RunState`
 * (when the run provides one), never in module state, so a no-op plan costs no catalog request.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { closest, type PluginError, RunState, runKey } from "../../engine/index.ts"
import { HerokuApi } from "./HerokuApi.ts"
import { CatalogItem } from "./schemas.ts"

/** Names in a catalog; `null` when the catalog itself does not exist (an unknown add-on service). */
type Names = ReadonlyArray<string> | null

const catalogKey = runKey<Names>("heroku.catalog")

const cached = (part: string, read: Effect.Effect<Names, PluginError, HerokuApi>) =>
  Effect.serviceOption(RunState).pipe(
    Effect.flatMap((state) => (Option.isSome(state) ? state.value.memo(catalogKey, part, read) : read)),
  )

const names = <A extends { readonly name: string }>(items: ReadonlyArray<A>) => items.map((i) => i.name)

/** The platform's dyno size names (`Standard-1X`), read once per run. */
export const dynoSizeNames: Effect.Effect<ReadonlyArray<string>, PluginError, HerokuApi> = cached(
  "dyno-sizes",
  Effect.flatMap(HerokuApi, (api) => api.list("/dyno-sizes", CatalogItem)).pipe(Effect.map(names)),
).pipe(Effect.map((found) => found ?? []))

/** The plans of an add-on service (`heroku-postgresql:essential-0`), or null when the service is unknown. */
export const addonPlanNames = (service: string): Effect.Effect<Names, PluginError, HerokuApi> =>
  cached(
    `plans:${service}`,
    Effect.flatMap(HerokuApi, (api) =>
      api.list(`/addon-services/${encodeURIComponent(service)}/plans`, CatalogItem),
    ).pipe(
      Effect.map(names),
      Effect.catchIf(
        (e) => e.reason === "NotFound",
        () => Effect.succeed(null),
      ),
    ),
  )

/** The add-on service names, read once per run (only to suggest one for an unknown service). */
export const addonServiceNames: Effect.Effect<ReadonlyArray<string>, PluginError, HerokuApi> = cached(
  "addon-services",
  Effect.flatMap(HerokuApi, (api) => api.list("/addon-services", CatalogItem)).pipe(Effect.map(names)),
).pipe(Effect.map((found) => found ?? []))

/** `; did you mean a, b or c?`, or nothing when there is nothing to offer. */
export const didYouMean = (name: string, known: ReadonlyArray<string>, first: ReadonlyArray<string> = []) => {
  const picks = [...new Set([...first, ...closest(name, known)])].slice(0, 3)
  if (picks.length === 0) return ""
  const last = picks.at(-1)
  return `; did you mean ${picks.length === 1 ? last : `${picks.slice(0, -1).join(", ")} or ${last}`}?`
}
