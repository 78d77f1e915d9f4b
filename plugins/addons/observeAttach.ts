/**
 * Observing shared add-ons: this app's attachments of other apps' add-ons (one list request, made
 * only when the manifest declares an attach or the add-ons list shows another app's add-on), and,
 * for each attach entry not attached yet, the owner app's add-ons (to plan, not 422, a missing one).
 */
import * as Effect from "effect/Effect"
import type { PluginError } from "../../engine/index.ts"
import {
  type LiveAddon,
  type LiveAttachment,
  listAllAddons,
  listForeignAttachments,
  ownedBy,
} from "../../services/heroku/addons.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import type { AddonsLive } from "./diff.ts"
import { type AddonsSpec, attachEntries } from "./spec.ts"

/** The add-ons an owner app has (null when the app does not exist). */
const ownerAddons = (owner: string) =>
  listAllAddons(owner).pipe(
    Effect.map((all) => all.filter(ownedBy(owner)).map((a) => ({ id: a.id, name: a.name }))),
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed(null),
    ),
  )

/**
 * The app's attachments of other apps' add-ons when the manifest declares an attach, read alongside
 * the add-ons list (a missing app has none); undefined when nothing declares one.
 */
export const declaredAttachments = (
  desired: AddonsSpec,
  app: string,
): Effect.Effect<ReadonlyArray<LiveAttachment> | undefined, PluginError, HerokuApi> =>
  attachEntries(desired).length === 0
    ? Effect.succeed(undefined)
    : listForeignAttachments(app).pipe(
        Effect.catchIf(
          (e) => e.reason === "NotFound",
          () => Effect.succeed([]),
        ),
      )

/**
 * Adds `attachments` and `owners` to the live view, reading only what the manifest needs:
 * `prefetched` is what `declaredAttachments` read beside the list, so the owners' add-ons are the
 * second round trip, not the third.
 */
export const withAttachments = (
  desired: AddonsSpec,
  live: AddonsLive,
  all: ReadonlyArray<LiveAddon>,
  prefetched?: ReadonlyArray<LiveAttachment>,
): Effect.Effect<AddonsLive, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const entries = attachEntries(desired)
    const foreign = all.some((a) => !ownedBy(live.app)(a))
    if (entries.length === 0 && !foreign) return live
    const attachments = prefetched ?? (live.appExists ? yield* listForeignAttachments(live.app) : [])
    const pending = entries.filter((e) => !attachments.some((a) => a.name === e.attach.as))
    const owners = [...new Set(pending.map((e) => e.attach.app))]
    const found = yield* Effect.forEach(owners, ownerAddons, { concurrency: 4 })
    const byOwner = new Map(owners.map((o, i) => [o, found[i] ?? null]))
    const ownersByAs = Object.fromEntries(
      pending.map((e) => [e.attach.as, byOwner.get(e.attach.app) ?? null]),
    )
    return { ...live, attachments, ...(pending.length === 0 ? {} : { owners: ownersByAs }) }
  })
