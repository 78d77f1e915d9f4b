/**
 * Observing add-ons: one list request; a missing app (first deploy) is an app without add-ons. A
 * declared plan that is not the live one is checked against its service's plan catalog. Add-ons of
 * other apps attached here are not this app's: they are observed as attachments.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { PluginError, RunContext } from "../../engine/index.ts"
import { listAllAddons, ownedBy } from "../../services/heroku/addons.ts"
import { appNameOf } from "../../services/heroku/app.ts"
import { addonPlanNames, addonServiceNames } from "../../services/heroku/catalog.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { type AddonsLive, findByAttachment, plansToCheck } from "./diff.ts"
import { declaredAttachments, withAttachments } from "./observeAttach.ts"
import { type AddonEntry, type AddonsSpec, ownedEntries, serviceOf } from "./spec.ts"

/** The plan catalogs of the services whose declared plan is not the live one; none for a no-op. */
const withCatalog = (desired: ReadonlyArray<AddonEntry>, live: AddonsLive) => {
  const services = [...new Set(plansToCheck(desired, live.addons).map((e) => serviceOf(e.plan)))]
  if (services.length === 0) return Effect.succeed(live)
  return Effect.gen(function* () {
    const found = yield* Effect.forEach(services, (s) => addonPlanNames(s), { concurrency: 4 })
    const plans = Object.fromEntries(services.map((s, i) => [s, found[i] ?? null]))
    const unknown = found.some((p) => p === null)
    const names = unknown ? yield* addonServiceNames : undefined
    return { ...live, catalog: { plans, ...(names === undefined ? {} : { services: names }) } }
  })
}

const ConfigItem = Schema.Struct({ name: Schema.String, value: Schema.NullOr(Schema.String) })

/** The live creation options of the entries that declare `config` (one request each, only for them). */
const withConfigs = (desired: ReadonlyArray<AddonEntry>, live: AddonsLive) => {
  const found = desired.flatMap((e) => {
    const addon =
      e.config === undefined || e.absent === true ? undefined : findByAttachment(live.addons, e.as)
    return addon === undefined ? [] : [[e.as, addon.id] as const]
  })
  if (found.length === 0) return Effect.succeed(live)
  return Effect.forEach(
    found,
    ([as, id]) =>
      Effect.flatMap(HerokuApi, (api) =>
        api.list(`/addons/${encodeURIComponent(id)}/config`, ConfigItem, { field: "name" }),
      ).pipe(
        Effect.map((items) => [as, Object.fromEntries(items.map((i) => [i.name, i.value ?? ""]))] as const),
      ),
    { concurrency: 4 },
  ).pipe(Effect.map((pairs): AddonsLive => ({ ...live, configs: Object.fromEntries(pairs) })))
}

/**
 * One wave for what the manifest names (the add-ons list, and the attachments when an attach is
 * declared), then one for what those answers call for (catalogs, creation options, owners' add-ons),
 * all at once: observation stays two round trips deep.
 */
const observe = (desired: AddonsSpec, app: string): Effect.Effect<AddonsLive, PluginError, HerokuApi> =>
  Effect.all(
    [
      listAllAddons(app).pipe(
        Effect.catchIf(
          (e) => e.reason === "NotFound",
          () => Effect.succeed(null),
        ),
      ),
      declaredAttachments(desired, app),
    ],
    { concurrency: "unbounded" },
  ).pipe(
    Effect.flatMap(([all, prefetched]) => {
      const live: AddonsLive = { app, appExists: all !== null, addons: (all ?? []).filter(ownedBy(app)) }
      const owned = ownedEntries(desired)
      return Effect.all(
        [
          withAttachments(desired, live, all ?? [], prefetched),
          withCatalog(owned, live),
          withConfigs(owned, live),
        ],
        { concurrency: "unbounded" },
      ).pipe(
        Effect.map(
          ([attached, cataloged, configured]): AddonsLive => ({
            ...attached,
            ...(cataloged.catalog === undefined ? {} : { catalog: cataloged.catalog }),
            ...(configured.configs === undefined ? {} : { configs: configured.configs }),
          }),
        ),
      )
    }),
  )

/** The app's add-ons (none when the app does not exist yet), and the plan catalogs a change needs. */
export const observeAddons = (
  desired: AddonsSpec,
  ctx: RunContext,
): Effect.Effect<AddonsLive, PluginError, HerokuApi> =>
  appNameOf(ctx, "addons").pipe(
    Effect.flatMap((app) => observe(desired, app)),
    Effect.withSpan("addons.observe"),
  )
