import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { attachmentsOf, type LiveAddon } from "../../services/heroku/addons.ts"
import {
  type AddonsLive,
  addonsWarnings,
  configDrift,
  diffAddons,
  planProblems,
  plansToCheck,
  protectionViolations,
} from "./diff.ts"
import { AddonsSpec } from "./spec.ts"

const pg: LiveAddon = {
  id: "a1",
  name: "postgresql-shiny-12345",
  service: "heroku-postgresql",
  plan: "heroku-postgresql:essential-0",
  state: "provisioned",
  attachments: ["DATABASE"],
  configVars: ["DATABASE_URL"],
}
const papertrail: LiveAddon = {
  id: "a2",
  name: "papertrail-quiet-23456",
  service: "papertrail",
  plan: "papertrail:choklad",
  state: "provisioned",
  attachments: ["PAPERTRAIL"],
  configVars: ["PAPERTRAIL_URL"],
}
const live = (...addons: LiveAddon[]): AddonsLive => ({ app: "nails", appExists: true, addons })
const db = { plan: "heroku-postgresql:essential-0", as: "DATABASE" }

describe("diffAddons", () => {
  it("creates missing entries, including on an app that does not exist yet", () => {
    const steps = diffAddons([db], { app: "nails", appExists: false, addons: [] })
    expect(steps).toEqual([
      {
        key: "DATABASE",
        action: "create",
        after: "heroku-postgresql:essential-0",
        reason: "declared in the manifest, not on the app",
        change: { app: "nails", entry: db },
      },
    ])
  })

  it("matches by attachment name: in sync is no step", () => {
    expect(diffAddons([db], live(pg))).toEqual([])
  })

  it("a different plan of the same service is an update in place", () => {
    const steps = diffAddons([{ ...db, plan: "heroku-postgresql:essential-1" }], live(pg))
    expect(steps[0]).toMatchObject({
      action: "update",
      before: "heroku-postgresql:essential-0",
      after: "heroku-postgresql:essential-1",
    })
    expect(steps[0]?.destructive).toBeUndefined()
  })

  it("absent: true deletes (destructive); already gone is no step", () => {
    const entry = { plan: "papertrail:choklad", as: "PAPERTRAIL", absent: true as const }
    expect(diffAddons([entry], live(pg, papertrail))[0]).toMatchObject({
      key: "PAPERTRAIL",
      action: "delete",
      destructive: true,
    })
    expect(diffAddons([entry], live(pg))).toEqual([])
  })

  it("a different service is a destructive replace", () => {
    const steps = diffAddons([{ plan: "scheduler:standard", as: "PAPERTRAIL" }], live(papertrail))
    expect(steps[0]).toMatchObject({ action: "replace", destructive: true })
  })

  it("an add-on still provisioning is a run step to wait for", () => {
    expect(diffAddons([db], live({ ...pg, state: "provisioning" }))[0]).toMatchObject({ action: "run" })
  })
})

describe("protection", () => {
  it("deleting or replacing a data add-on is refused unless protect: false", () => {
    expect(protectionViolations([{ ...db, absent: true }], live(pg))[0]).toContain("protected")
    expect(protectionViolations([{ plan: "heroku-redis:mini", as: "DATABASE" }], live(pg))).toHaveLength(1)
    expect(protectionViolations([{ ...db, absent: true, protect: false }], live(pg))).toEqual([])
    expect(
      protectionViolations(
        [{ plan: "papertrail:choklad", as: "PAPERTRAIL", absent: true }],
        live(papertrail),
      ),
    ).toEqual([])
  })

  it("the schema refuses absent data add-ons without protect: false, and duplicate names", () => {
    const decode = Schema.decodeUnknownEither(AddonsSpec)
    expect(Either.isLeft(decode([{ ...db, absent: true }]))).toBe(true)
    expect(Either.isRight(decode([{ ...db, absent: true, protect: false }]))).toBe(true)
    expect(Either.isLeft(decode([db, { plan: "heroku-redis:mini", as: "DATABASE" }]))).toBe(true)
    expect(Either.isLeft(decode([{ plan: "heroku-postgresql", as: "DATABASE" }]))).toBe(true)
  })
})

describe("warnings and matching", () => {
  it("undeclared add-ons are reported and left alone", () => {
    expect(addonsWarnings([db], live(pg, papertrail))).toEqual([
      "add-on papertrail-quiet-23456 (papertrail:choklad, attached as PAPERTRAIL) is not in the manifest; left alone",
    ])
    expect(diffAddons([db], live(pg, papertrail))).toEqual([])
  })

  it("attachment names come from the _URL vars an add-on exposes", () => {
    expect(attachmentsOf(["DATABASE_URL", "HEROKU_POSTGRESQL_AMBER_URL", "PAPERTRAIL_API_TOKEN"])).toEqual([
      "DATABASE",
      "HEROKU_POSTGRESQL_AMBER",
    ])
  })
})

describe("planProblems", () => {
  const catalog = {
    plans: {
      "heroku-postgresql": [
        "heroku-postgresql:essential-0",
        "heroku-postgresql:essential-1",
        "heroku-postgresql:standard-0",
      ],
    },
  }
  it("a plan the service does not offer is a problem with the closest plans; an unknown service names services", () => {
    const problems = planProblems([{ ...db, plan: "heroku-postgresql:nonexistent" }], {
      ...live(pg),
      catalog,
    })
    expect(problems).toEqual([
      {
        key: "DATABASE",
        message: expect.stringMatching(
          /^unknown add-on plan "heroku-postgresql:nonexistent"; did you mean heroku-postgresql:/,
        ),
      },
    ])
    const unknown = planProblems([{ plan: "herokupostgres:mini", as: "DB" }], {
      ...live(),
      catalog: {
        plans: { herokupostgres: null },
        services: ["heroku-postgresql", "heroku-redis", "papertrail"],
      },
    })
    expect(unknown[0]?.message).toBe(
      'unknown add-on service "herokupostgres" (plan "herokupostgres:mini"); did you mean heroku-postgresql, heroku-redis or papertrail?',
    )
  })

  it("only plans that are not the live one are checked; a known plan is no problem", () => {
    expect(plansToCheck([db, { plan: "papertrail:choklad", as: "LOGS", absent: true }], [pg])).toEqual([])
    expect(plansToCheck([{ ...db, plan: "heroku-postgresql:essential-1" }], [pg])).toHaveLength(1)
    expect(
      planProblems([{ ...db, plan: "heroku-postgresql:essential-1" }], { ...live(pg), catalog }),
    ).toEqual([])
  })
})

describe("creation config", () => {
  const withConfig = { ...db, config: { version: 16 } }
  it("a create shows its options in a note", () => {
    const steps = diffAddons([withConfig], live())
    expect(steps[0]?.notes).toEqual(["created with config: version=16"])
  })

  it("a live add-on whose options differ is a warning that says they apply only at creation; equal is nothing", () => {
    expect(configDrift([withConfig], { ...live(pg), configs: { DATABASE: { version: "15" } } })).toEqual([
      {
        key: "DATABASE",
        severity: "warning",
        message:
          "config options apply only when an add-on is created: version is 15 live, 16 in the manifest; left as is (to change them, create a new add-on and move the data)",
      },
    ])
    expect(configDrift([withConfig], { ...live(pg), configs: { DATABASE: { version: "16" } } })).toEqual([])
    expect(diffAddons([withConfig], { ...live(pg), configs: { DATABASE: { version: "15" } } })).toEqual([])
  })
})
