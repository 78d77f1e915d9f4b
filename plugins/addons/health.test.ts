/** Add-on health from the one list the plugin reads: provisioned, provisioning, anything else. */
import { expect, test } from "vitest"
import type { LiveAddon } from "../../services/heroku/addons.ts"
import { addonsHealth } from "./health.ts"

const addon = (name: string, state: string, attachments: ReadonlyArray<string>): LiveAddon => ({
  id: name,
  name,
  service: "heroku-postgresql",
  plan: "heroku-postgresql:essential-0",
  state,
  attachments,
  configVars: attachments.map((a) => `${a}_URL`),
})

test("each live add-on's state as health, named by its manifest entry when it has one", () => {
  const live = {
    app: "a",
    appExists: true,
    addons: [
      addon("pg-1", "provisioned", ["DATABASE"]),
      addon("pg-2", "provisioning", ["REPLICA"]),
      addon("pg-3", "deprovisioned", []),
    ],
  }
  const desired = [
    { plan: "heroku-postgresql:essential-0", as: "DATABASE" },
    { plan: "heroku-postgresql:essential-0", as: "REPLICA" },
  ]
  expect(addonsHealth(desired, live).map((h) => [h.resource, h.state])).toEqual([
    ["addons/DATABASE", "healthy"],
    ["addons/REPLICA", "progressing"],
    ["addons/pg-3", "unhealthy"],
  ])
})
