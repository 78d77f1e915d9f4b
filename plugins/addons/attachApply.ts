/**
 * Applying shared add-ons: attach POSTs the attachment, detach DELETEs it (the owner's add-on stays).
 * Each sends what the plan saw missing or present; after an answer that may have been lost, the
 * executor asks `attachLanded`/`detachLanded`, which re-list this app's attachments, so a retry never
 * makes a second attachment nor deletes one that is already gone.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { type ApplyResult, done, PluginError } from "../../engine/index.ts"
import { type LiveAttachment, listForeignAttachments } from "../../services/heroku/addons.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { AddonAttachment } from "../../services/heroku/schemas.ts"
import type { AttachEntry } from "./spec.ts"

type Result = ApplyResult<HerokuApi>
type Landed = Effect.Effect<Option.Option<Result>, PluginError, HerokuApi>

/** Attaches the owner's add-on to the app under `as`. */
export const applyAttach = (
  app: string,
  attach: AttachEntry["attach"],
): Effect.Effect<Result, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const body = { app, addon: attach.addon, name: attach.as }
    const made = yield* api.send("POST", "/addon-attachments", body, AddonAttachment)
    return done(`attached ${made.addon.name} of app ${made.addon.app.name} as ${made.name}`)
  }).pipe(Effect.withSpan("addons.attach"))

/** Whether a lost attach landed: `as` attached to the owner's add-on; attached to another is a Conflict. */
export const attachLanded = (app: string, attach: AttachEntry["attach"]): Landed =>
  Effect.gen(function* () {
    const found = (yield* listForeignAttachments(app)).find((a) => a.name === attach.as)
    if (found === undefined) return Option.none()
    if (found.owner === attach.app && (found.addonName === attach.addon || found.addonId === attach.addon))
      return Option.some(done(`${attach.as} is attached to ${found.addonName} of app ${found.owner}`))
    return yield* Effect.fail(
      new PluginError({
        reason: "Conflict",
        detail: `${attach.as} is attached to ${found.addonName} of app ${found.owner}, not ${attach.addon}`,
      }),
    )
  }).pipe(Effect.withSpan("addons.attachLanded"))

/** Removes the attachment (the owner's add-on stays). */
export const applyDetach = (attachment: LiveAttachment): Effect.Effect<Result, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const path = `/addon-attachments/${encodeURIComponent(attachment.id)}`
    yield* api.send("DELETE", path, {}, AddonAttachment)
    return done(`detached ${attachment.name}; ${attachment.addonName} of app ${attachment.owner} is kept`)
  }).pipe(Effect.withSpan("addons.detach"))

/** Whether a lost detach landed: the attachment is no longer on the app. */
export const detachLanded = (app: string, attachment: LiveAttachment): Landed =>
  listForeignAttachments(app).pipe(
    Effect.map((all) =>
      all.some(
        (a) => a.id === attachment.id || (a.name === attachment.name && a.addonId === attachment.addonId),
      )
        ? Option.none()
        : Option.some(done(`${attachment.name} is detached`)),
    ),
    Effect.withSpan("addons.detachLanded"),
  )
