import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { type ConfigLive, configBatch, diffConfig } from "./diff.ts"
import { configProblems } from "./problems.ts"

const r = (s: string) => Redacted.make(s)
const live: ConfigLive = {
  app: "nails",
  appExists: true,
  vars: { NODE_ENV: r("development"), KEEP: r("k"), OLD: r("o"), DATABASE_URL: r("postgres://u:p@h/db") },
  addonOwned: ["DATABASE_URL"],
}

/** The members of the config group, or none. */
const membersOf = (steps: ReturnType<typeof diffConfig>) => steps.find((s) => s.key === "vars")?.members ?? []

describe("diffConfig", () => {
  it("one group step for the batch, a member per changed key", () => {
    const steps = diffConfig({ vars: { NODE_ENV: "production", KEEP: "k", NEW: "1" } }, live)
    expect(steps.map((s) => [s.key, s.action, s.destructive])).toEqual([["vars", "update", false]])
    expect(membersOf(steps).map((s) => [s.key, s.action, s.before, s.after, s.destructive ?? false])).toEqual(
      [
        ["NEW", "create", undefined, "1", false],
        ["NODE_ENV", "update", "development", "production", false],
      ],
    )
    expect(steps[0]?.change).toEqual({
      kind: "batch",
      app: "nails",
      batch: { set: { NODE_ENV: "production", NEW: "1" }, unset: [] },
    })
  })

  it("a secret is shown only redacted, before and after, and marked sensitive", () => {
    const steps = membersOf(diffConfig({ vars: { KEEP: r("new-secret") } }, live))
    expect(steps).toHaveLength(1)
    const [step] = steps
    expect(step?.sensitive).toBe(true)
    expect(Redacted.isRedacted(step?.before)).toBe(true)
    expect(Redacted.isRedacted(step?.after)).toBe(true)
    expect(diffConfig({ vars: { KEEP: r("k") } }, live)).toEqual([])
  })

  it("a live secret stays fingerprinted when the manifest gives the var a plain value", () => {
    const canary = "canary-live-jwt-91c2"
    const withSecrets: ConfigLive = {
      ...live,
      vars: {
        ...live.vars,
        JWT_SECRET: r(canary),
        SENTRY: r("https://key:canary-pw@sentry.example.com/1"),
        LOG_LEVEL: r("debug"),
      },
    }
    const steps = membersOf(
      diffConfig(
        { vars: { JWT_SECRET: "not-a-secret-anymore", SENTRY: "off", LOG_LEVEL: "info" } },
        withSecrets,
      ),
    )
    const byKey = Object.fromEntries(steps.map((s) => [s.key, s]))
    for (const key of ["JWT_SECRET", "SENTRY"]) {
      expect(byKey[key]?.sensitive, key).toBe(true)
      expect(Redacted.isRedacted(byKey[key]?.before), key).toBe(true)
      expect(Redacted.isRedacted(byKey[key]?.after), key).toBe(true)
    }
    // known plain on both sides: shown as is
    expect(byKey.LOG_LEVEL).toMatchObject({ sensitive: false, before: "debug", after: "info" })
    expect(JSON.stringify(steps)).not.toContain("canary")
  })

  it("prune deletes undeclared vars, never add-on or required ones, and makes the whole batch destructive", () => {
    const steps = diffConfig({ vars: { NODE_ENV: "production" }, required: ["KEEP"], prune: true }, live)
    expect(steps.map((s) => [s.key, s.destructive])).toEqual([["vars", true]])
    expect(membersOf(steps).map((s) => [s.key, s.action, s.destructive ?? false, s.sensitive])).toEqual([
      ["NODE_ENV", "update", false, false],
      ["OLD", "delete", true, true],
    ])
    expect(configBatch({ vars: {}, prune: true }, live).unset).toEqual(["NODE_ENV", "KEEP", "OLD"])
  })

  it("required keys missing live and not declared give one run step", () => {
    const empty: ConfigLive = { app: "nails", appExists: false, vars: {}, addonOwned: [] }
    const steps = diffConfig({ vars: { A: "1" }, required: ["A", "DATABASE_URL", "REDIS_URL"] }, empty)
    expect(steps.map((s) => [s.key, s.action])).toEqual([
      ["vars", "create"],
      ["(required)", "run"],
    ])
    expect(membersOf(steps).map((s) => s.key)).toEqual(["A"])
    expect(steps[1]?.change).toEqual({ kind: "required", app: "nails", keys: ["DATABASE_URL", "REDIS_URL"] })
    expect(diffConfig({ vars: {}, required: ["DATABASE_URL"] }, live)).toEqual([])
  })

  it("a var named like an Object property is still a var", () => {
    const steps = membersOf(diffConfig({ vars: { constructor: "x" } }, { ...live, vars: {} }))
    expect(steps[0]).toMatchObject({ key: "constructor", action: "create" })
  })
})

describe("configProblems", () => {
  it("refuses vars that add-ons set, by well-known name and by declared attachment", () => {
    const problems = configProblems({
      addons: [
        { plan: "heroku-redis:mini", as: "CACHE" },
        { plan: "papertrail:choklad", as: "LOGS", absent: true },
      ],
      config: {
        vars: {
          DATABASE_URL: "x",
          REDIS_URL: "x",
          HEROKU_POSTGRESQL_AMBER_URL: "x",
          CACHE_URL: "x",
          LOGS_URL: "x",
          NODE_ENV: "production",
        },
      },
    })
    expect(problems.map((p) => p.path.join("."))).toEqual([
      "config.vars.DATABASE_URL",
      "config.vars.REDIS_URL",
      "config.vars.HEROKU_POSTGRESQL_AMBER_URL",
      "config.vars.CACHE_URL",
    ])
    expect(problems[3]?.message).toContain("attached as CACHE")
    expect(configProblems({ app: { name: "x" } })).toEqual([])
  })
})
