/**
 * Converging one add-on entry, level-triggered: every attempt re-lists the app's add-ons and does
 * only what is still needed (a retried create after a lost answer finds the first add-on, never
 * makes a second). That list stays in apply, not in `landed`: it is what apply acts on (the
 * add-on's id, create or change or delete), the plan carries no id, and a create that an earlier,
 * crashed run left provisioning is found the same way. Provisioning and deprovisioning return
 * `Pending` with a check that re-reads the add-on; the executor polls it.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type ApplyResult, done, PluginError, pending } from "../../engine/index.ts"
import { type LiveAddon, listAddons, toLive } from "../../services/heroku/addons.ts"
import { appPath } from "../../services/heroku/app.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { Addon } from "../../services/heroku/schemas.ts"
import { applyAttach, applyDetach, attachLanded, detachLanded } from "./attachApply.ts"
import { type AddonChange, findByAttachment } from "./diff.ts"
import { creationConfig, isProtected, serviceOf } from "./spec.ts"

type Result = ApplyResult<HerokuApi>
type OwnedChange = Extract<AddonChange, { readonly entry: unknown }>

const addonPath = (app: string, id: string) => appPath(app, `/addons/${encodeURIComponent(id)}`)

const waitProvisioned = (app: string, as: string, addon: LiveAddon): Result => {
  if (addon.state === "provisioned") return done(`${addon.name} (${addon.plan}) is provisioned`)
  const check: Effect.Effect<Result, PluginError, HerokuApi> = Effect.flatMap(HerokuApi, (api) =>
    api.find(addonPath(app, addon.id), Addon),
  ).pipe(
    Effect.flatMap((found) =>
      Option.isSome(found)
        ? Effect.succeed(waitProvisioned(app, as, toLive(found.value)))
        : Effect.fail(
            new PluginError({ reason: "NotFound", detail: `${addon.name} disappeared while provisioning` }),
          ),
    ),
  )
  return pending(`${as}: ${addon.name} is ${addon.state}`, check)
}

const refuseProtected = (change: OwnedChange, found: LiveAddon): Effect.Effect<void, PluginError> =>
  isProtected(change.entry, found.service)
    ? Effect.fail(
        new PluginError({
          reason: "Invalid",
          detail: `${found.name} (${found.plan}) holds data and is protected; set protect: false to delete it`,
        }),
      )
    : Effect.void

const untilGone = (
  app: string,
  found: LiveAddon,
  then: Effect.Effect<Result, PluginError, HerokuApi>,
): Effect.Effect<Result, PluginError, HerokuApi> =>
  Effect.flatMap(HerokuApi, (api) => api.find(addonPath(app, found.id), Addon)).pipe(
    Effect.flatMap((still) =>
      Option.isNone(still)
        ? then
        : Effect.succeed(pending(`${found.name} is deprovisioning`, untilGone(app, found, then))),
    ),
  )

/** Deletes the add-on; an asynchronous teardown is polled until the add-on is gone. */
const remove = (app: string, found: LiveAddon, then: Effect.Effect<Result, PluginError, HerokuApi>) =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    if (found.state !== "deprovisioning") {
      const deleted = yield* api.send("DELETE", addonPath(app, found.id), {}, Addon)
      if (deleted.state === "deprovisioned") return yield* then
    }
    return pending(`${found.name} is deprovisioning`, untilGone(app, found, then))
  })

/** Converges one change (an owned add-on, an attach or a detach); safe to run any number of times. */
export const applyAddon = (change: AddonChange): Effect.Effect<Result, PluginError, HerokuApi> =>
  "attach" in change
    ? applyAttach(change.app, change.attach)
    : "detach" in change
      ? applyDetach(change.detach)
      : applyOwned(change)

/**
 * Whether a change whose answer was lost landed (the executor asks before it resends): attach and
 * detach re-list the attachments; an owned add-on's apply re-lists on every attempt itself (None).
 */
export const addonLanded = (
  change: AddonChange,
): Effect.Effect<Option.Option<Result>, PluginError, HerokuApi> =>
  "attach" in change
    ? attachLanded(change.app, change.attach)
    : "detach" in change
      ? detachLanded(change.app, change.detach)
      : Effect.succeed(Option.none())

/** Converges the entry's add-on to the manifest; safe to run any number of times. */
const applyOwned = (change: OwnedChange): Effect.Effect<Result, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const { app, entry } = change
    const found = findByAttachment(yield* listAddons(app), entry.as)
    if (entry.absent === true) {
      if (found === undefined) return done(`${entry.as} is gone`)
      yield* refuseProtected(change, found)
      return yield* remove(app, found, Effect.succeed(done(`deleted ${found.name}`)))
    }
    if (found !== undefined && found.service !== serviceOf(entry.plan)) {
      yield* refuseProtected(change, found)
      return yield* remove(
        app,
        found,
        Effect.suspend(() => applyOwned(change)),
      )
    }
    if (found === undefined) {
      const config = creationConfig(entry)
      const body = {
        plan: entry.plan,
        attachment: { name: entry.as },
        ...(config === undefined ? {} : { config }),
      }
      const created = yield* api.send("POST", appPath(app, "/addons"), body, Addon)
      return waitProvisioned(app, entry.as, toLive(created))
    }
    if (found.plan !== entry.plan) {
      const body = { plan: { name: entry.plan } }
      const updated = yield* api.send("PATCH", addonPath(app, found.id), body, Addon)
      return waitProvisioned(app, entry.as, toLive(updated))
    }
    return waitProvisioned(app, entry.as, found)
  }).pipe(Effect.withSpan("addons.apply"))
