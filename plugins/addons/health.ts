/** Each live add-on's state as health: provisioned is healthy, provisioning on its way, anything else a problem. */
import type { HealthReport } from "../../engine/index.ts"
import type { AddonsLive } from "./diff.ts"
import { type AddonsSpec, ownedEntries } from "./spec.ts"

const stateOf = (state: string): HealthReport["state"] =>
  state === "provisioned" ? "healthy" : state === "provisioning" ? "progressing" : "unhealthy"

/** Pure: one report per live add-on, named by the manifest's `as` when declared, else by its name. */
export const addonsHealth = (desired: AddonsSpec, live: AddonsLive): ReadonlyArray<HealthReport> =>
  live.addons.map((a) => {
    const entry = ownedEntries(desired).find((e) => a.attachments.includes(e.as))
    return {
      resource: `addons/${entry?.as ?? a.name}`,
      state: stateOf(a.state),
      detail: `${a.state} (${a.plan})`,
      facts: { name: a.name, plan: a.plan, state: a.state },
    }
  })
