/**
 * Shared add-ons, the pure part: an `attach` entry attaches another app's existing add-on under
 * `as`; an attachment of another app's add-on that no entry declares is detached (destructive).
 * Detaching removes only the attachment: the owner's add-on and its data are never touched.
 */
import type { DiffProblem, PlannedChange } from "../../engine/index.ts"
import type { LiveAttachment } from "../../services/heroku/addons.ts"
import { didYouMean } from "../../services/heroku/catalog.ts"
import type { AddonChange, AddonsLive } from "./diff.ts"
import { type AddonsSpec, type AttachEntry, attachEntries } from "./spec.ts"

/** Whether a live attachment is the one an entry declares (same owner app and add-on). */
const sameAddon = (entry: AttachEntry, a: LiveAttachment): boolean =>
  a.owner === entry.attach.app && (a.addonName === entry.attach.addon || a.addonId === entry.attach.addon)

const attachedAs = (live: AddonsLive, as: string) => live.attachments?.find((a) => a.name === as)

const shown = (owner: string, addon: string) => `${addon} of app ${owner}`

/** Pure: attach entries whose owner app or add-on does not exist, or whose name is taken by another. */
export const attachProblems = (desired: AddonsSpec, live: AddonsLive): ReadonlyArray<DiffProblem> =>
  attachEntries(desired).flatMap((entry): ReadonlyArray<DiffProblem> => {
    const { app, addon, as } = entry.attach
    const found = attachedAs(live, as)
    if (found !== undefined) {
      if (sameAddon(entry, found)) return []
      return [
        {
          key: as,
          message:
            `${as} is attached to ${shown(found.owner, found.addonName)}, not ${shown(app, addon)}; ` +
            "remove the entry (detach) first, then attach again",
        },
      ]
    }
    const owned = live.owners?.[as]
    if (owned === undefined) return []
    if (owned === null)
      return [{ key: as, message: `cannot attach ${as}: the owner app ${app} does not exist` }]
    if (owned.some((a) => a.name === addon || a.id === addon)) return []
    const names = owned.map((a) => a.name)
    return [
      {
        key: as,
        message: `cannot attach ${as}: app ${app} has no add-on ${addon}${didYouMean(addon, names)}`,
      },
    ]
  })

/** Pure: an attach step per entry not attached yet (whose owner add-on exists), a detach per stray. */
export const diffAttachments = (
  desired: AddonsSpec,
  live: AddonsLive,
): ReadonlyArray<PlannedChange<AddonChange>> => {
  const entries = attachEntries(desired)
  const attaches = entries.flatMap((entry) => {
    const { app, addon, as } = entry.attach
    const owned = live.owners?.[as]
    const exists = owned?.some((a) => a.name === addon || a.id === addon) === true
    if (attachedAs(live, as) !== undefined || !exists) return []
    return [
      {
        key: as,
        change: { app: live.app, attach: entry.attach },
        action: "create",
        after: `${app}/${addon}`,
        reason: `attach ${shown(app, addon)} as ${as} (sets ${as}_URL)`,
      } as const,
    ]
  })
  const detaches = (live.attachments ?? [])
    .filter((a) => !entries.some((e) => e.attach.as === a.name))
    .map(
      (a) =>
        ({
          key: a.name,
          change: { app: live.app, detach: a },
          action: "delete",
          before: `${a.owner}/${a.addonName}`,
          destructive: true,
          reason: "attachment not in the manifest: detach it (unsets its _URL var)",
          notes: [`only the attachment is removed; ${shown(a.owner, a.addonName)} and its data are kept`],
        }) as const,
    )
  return [...attaches, ...detaches]
}
