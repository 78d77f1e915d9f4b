/** The pure part of shared add-ons: attach, detach and the owner problems, from literals. */
import { describe, expect, it } from "vitest"
import { attachProblems, diffAttachments } from "./attach.ts"
import type { AddonsLive } from "./diff.ts"
import type { AddonsSpec } from "./spec.ts"

const shared: AddonsSpec = [{ attach: { app: "owner", addon: "pg-1", as: "SHARED_DB" } }]
const attached = { id: "att-1", name: "SHARED_DB", addonId: "id-1", addonName: "pg-1", owner: "owner" }
const live = (extra: Partial<AddonsLive> = {}): AddonsLive => ({
  app: "user",
  appExists: true,
  addons: [],
  ...extra,
})

describe("shared add-ons", () => {
  it("attaches when the owner has the add-on, and is a no-op once attached", () => {
    const fresh = live({ attachments: [], owners: { SHARED_DB: [{ id: "id-1", name: "pg-1" }] } })
    expect(diffAttachments(shared, fresh).map((c) => [c.key, c.action, c.after])).toEqual([
      ["SHARED_DB", "create", "owner/pg-1"],
    ])
    expect(diffAttachments(shared, live({ attachments: [attached] }))).toEqual([])
    expect(attachProblems(shared, live({ attachments: [attached] }))).toEqual([])
  })

  it("a missing owner app or add-on is a problem and no step", () => {
    const noApp = live({ attachments: [], owners: { SHARED_DB: null } })
    expect(diffAttachments(shared, noApp)).toEqual([])
    expect(attachProblems(shared, noApp).map((p) => p.message)).toEqual([
      "cannot attach SHARED_DB: the owner app owner does not exist",
    ])
    const noAddon = live({ attachments: [], owners: { SHARED_DB: [] } })
    expect(attachProblems(shared, noAddon).map((p) => p.message)).toEqual([
      "cannot attach SHARED_DB: app owner has no add-on pg-1",
    ])
  })

  it("a name attached to another add-on is a problem; an undeclared attachment is a destructive detach", () => {
    const other = { ...attached, addonName: "pg-2", addonId: "id-2" }
    expect(attachProblems(shared, live({ attachments: [other] })).length).toBe(1)
    const detach = diffAttachments([], live({ attachments: [attached] }))
    expect(detach.map((c) => [c.key, c.action, c.destructive, c.change])).toEqual([
      ["SHARED_DB", "delete", true, { app: "user", detach: attached }],
    ])
  })
})
