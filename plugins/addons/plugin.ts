/**
 * The add-ons plugin (wave `addons`): provisions declared add-ons, changes plans in place, deletes
 * entries marked `absent: true` (destructive; data add-ons only with `protect: false`), and waits
 * for provisioning; `attach` entries share another app's add-on (a removed one is detached,
 * destructively, never touching the add-on). Add-ons the manifest does not mention are left alone and
 * reported.
 */
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { addonLanded, applyAddon } from "./apply.ts"
import { attachProblems, diffAttachments } from "./attach.ts"
import {
  type AddonChange,
  type AddonsLive,
  addonsWarnings,
  configDrift,
  diffAddons,
  planProblems,
  protectionViolations,
} from "./diff.ts"
import { addonsHealth } from "./health.ts"
import { observeAddons } from "./observe.ts"
import { type AddonsSpec, addonsSection, ownedEntries } from "./spec.ts"

/** Add-ons, matched by attachment name; data add-ons are protected from deletion. */
export const addonsPlugin = definePlugin<AddonsSpec, AddonsLive, AddonChange, HerokuApi>({
  name: "addons",
  section: addonsSection,
  wave: "addons",
  observe: (desired, ctx) => observeAddons(desired, ctx),
  // removing a protected data add-on, replacing one by another plan family, or a plan the
  // platform does not offer, is a plan problem
  diff: (desired, live) => {
    const owned = ownedEntries(desired)
    return {
      changes: [...diffAddons(owned, live), ...diffAttachments(desired, live)],
      problems: [
        ...protectionViolations(owned, live).map((message) => ({ message })),
        ...planProblems(owned, live),
        ...configDrift(owned, live),
        ...attachProblems(desired, live),
      ],
    }
  },
  apply: (change) => applyAddon(change),
  landed: (change) => addonLanded(change),
  warnings: (desired, live) => addonsWarnings(ownedEntries(desired), live),
  health: addonsHealth,
  // provisioning → provisioned moves on its own: a plan saved while an add-on provisions stays fresh
  // when it finishes; any other state (deprovisioning: someone deletes it) is still state
  fingerprinted: (live) => ({
    ...live,
    addons: live.addons.map(({ state, ...addon }) =>
      settling.includes(state) ? addon : { ...addon, state },
    ),
  }),
})

/** The add-on states a saved plan's fingerprint does not tell apart. */
const settling: ReadonlyArray<string> = ["provisioning", "provisioned"]
