/**
 * A saved plan's live fingerprint covers add-ons, not their provisioning progress: an add-on going
 * provisioning → provisioned between `--out` and `apply FILE` must not make the plan stale; another
 * plan, a new add-on, or one being deleted still must.
 */
import { describe, expect, it } from "vitest"
import { stateFingerprint } from "../../engine/plan/planner.ts"
import { addonsPlugin } from "../../plugins/addons/plugin.ts"

const spec = {
  app: { name: "fp-addons" },
  addons: [{ plan: "heroku-postgresql:essential-0", as: "DATABASE" }],
}
const desired = spec.addons

const addon = (state: string, plan = "heroku-postgresql:essential-0") => ({
  id: "5c1e0a4e-0d4b-4a3c-9f3e-2f6a8d9b7c10",
  name: "postgresql-fp-12345",
  service: "heroku-postgresql",
  plan,
  state,
  attachments: ["DATABASE"],
  configVars: ["DATABASE_URL"],
})

const fingerprint = (...addons: ReadonlyArray<ReturnType<typeof addon>>) =>
  stateFingerprint(
    spec,
    [{ plugin: addonsPlugin, desired, live: { app: "fp-addons", appExists: true, addons } }],
    "a-fixed-nonce",
  )

describe("saved plan fingerprint: add-ons", () => {
  it("ignores provisioning progress: provisioning → provisioned", () => {
    expect(fingerprint(addon("provisioned"))).toBe(fingerprint(addon("provisioning")))
  })

  it("still covers the add-ons: another plan, one more, one being deleted", () => {
    const base = fingerprint(addon("provisioned"))
    expect(fingerprint(addon("provisioned", "heroku-postgresql:standard-0"))).not.toBe(base)
    expect(
      fingerprint(addon("provisioned"), { ...addon("provisioning"), id: "other", name: "redis-x" }),
    ).not.toBe(base)
    expect(fingerprint(addon("deprovisioning"))).not.toBe(base)
  })
})
