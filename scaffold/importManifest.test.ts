import { describe, expect, it } from "vitest"
import type { LiveApp } from "./importApp.ts"
import { importManifest } from "./importManifest.ts"

const live = (over: Partial<LiveApp>): LiveApp => ({
  name: "b",
  region: "us",
  stack: "heroku-24",
  maintenance: false,
  buildpacks: [],
  addons: [],
  attachments: [],
  formation: [],
  configKeys: [],
  plainValues: {},
  ...over,
})

describe("importManifest", () => {
  it("writes another app's add-on attached here as an attach entry, its _URL var as add-on-owned", () => {
    const imported = importManifest(
      "shared",
      live({
        attachments: [
          { id: "at-1", name: "SHARED_DB", addonId: "ad-1", addonName: "postgresql-x-1", owner: "a" },
        ],
        configKeys: ["MODE", "SHARED_DB_URL"],
      }),
      [],
    )
    expect(imported.manifest.spec.addons).toEqual([
      { attach: { app: "a", addon: "postgresql-x-1", as: "SHARED_DB" } },
    ])
    expect(imported.manifest.spec.config).toEqual({
      vars: { MODE: { fromEnv: "MODE" } },
      required: ["SHARED_DB_URL"],
      prune: false,
    })
    expect(imported.fromEnv).toEqual(["MODE"])
  })

  it("writes no addons section for an app with neither add-ons nor attachments", () => {
    expect(importManifest("x", live({}), []).manifest.spec.addons).toBeUndefined()
  })
})
