/**
 * Applying shared add-ons, level-triggered: each attempt re-lists this app's attachments and does
 * only what is still needed (a retried attach after a lost answer finds the first attachment).
 * Detaching deletes the attachment only, never the owner's add-on.
 */
import * as Effect from "effect/Effect"
import { type ApplyResult, done, PluginError } from "../../engine/index.ts"
import { type LiveAttachment, listForeignAttachments } from "../../services/heroku/addons.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { AddonAttachment } from "../../services/heroku/schemas.ts"
import type { AttachEntry } from "./spec.ts"

type Result = ApplyResult<HerokuApi>

/** Attaches the owner's add-on to the app under `as`; done when it already is. */
export const applyAttach = (
  app: string,
  attach: AttachEntry["attach"],
): Effect.Effect<Result, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const found = (yield* listForeignAttachments(app)).find((a) => a.name === attach.as)
    if (found !== undefined) {
      if (found.owner === attach.app && (found.addonName === attach.addon || found.addonId === attach.addon))
        return done(`${attach.as} is attached to ${found.addonName} of app ${found.owner}`)
      return yield* Effect.fail(
        new PluginError({
          reason: "Conflict",
          detail: `${attach.as} is attached to ${found.addonName} of app ${found.owner}, not ${attach.addon}`,
        }),
      )
    }
    const body = { app, addon: attach.addon, name: attach.as }
    const made = yield* api.send("POST", "/addon-attachments", body, AddonAttachment)
    return done(`attached ${made.addon.name} of app ${made.addon.app.name} as ${made.name}`)
  }).pipe(Effect.withSpan("addons.attach"))

/** Removes the attachment (the owner's add-on stays); done when it is already gone. */
export const applyDetach = (
  app: string,
  attachment: LiveAttachment,
): Effect.Effect<Result, PluginError, HerokuApi> =>
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const found = (yield* listForeignAttachments(app)).find(
      (a) => a.id === attachment.id || (a.name === attachment.name && a.addonId === attachment.addonId),
    )
    if (found === undefined) return done(`${attachment.name} is detached`)
    yield* api.send("DELETE", `/addon-attachments/${encodeURIComponent(found.id)}`, {}, AddonAttachment)
    return done(`detached ${found.name}; ${found.addonName} of app ${found.owner} is kept`)
  }).pipe(Effect.withSpan("addons.detach"))
