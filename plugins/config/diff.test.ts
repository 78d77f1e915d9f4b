import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import type { Step } from "../../engine/index.ts"
import { type ConfigLive, configBatch, configWarnings, diffConfig } from "./diff.ts"
import { configProblems } from "./validate.ts"

const r = (s: string) => Redacted.make(s)
const live: ConfigLive = {
  app: "nails",
  appExists: true,
  vars: { NODE_ENV: r("development"), KEEP: r("k"), OLD: r("o"), DATABASE_URL: r("postgres://u:p@h/db") },
  addonOwned: ["DATABASE_URL"],
  clashes: [],
}

/** The members of the config group, or none. */
const membersOf = (diffed: ReturnType<typeof diffConfig>) =>
  diffed.changes.find((s) => s.key === "vars")?.members ?? []

describe("diffConfig", () => {
  it("one group step for the batch, a member per changed key", () => {
    const diffed = diffConfig({ vars: { NODE_ENV: "production", KEEP: "k", NEW: "1" } }, live)
    const steps = diffed.changes
    expect(steps.map((s) => [s.key, s.action, s.destructive])).toEqual([["vars", "update", false]])
    expect(
      membersOf(diffed).map((s) => [s.key, s.action, s.before, s.after, s.destructive ?? false]),
    ).toEqual([
      ["NEW", "create", undefined, "1", false],
      ["NODE_ENV", "update", "development", "production", false],
    ])
    expect(steps[0]?.change).toEqual({
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
    expect(diffConfig({ vars: { KEEP: r("k") } }, live)).toEqual({ changes: [], problems: [] })
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
    const diffed = diffConfig({ vars: { NODE_ENV: "production" }, required: ["KEEP"], prune: true }, live)
    expect(diffed.changes.map((s) => [s.key, s.destructive])).toEqual([["vars", true]])
    expect(membersOf(diffed).map((s) => [s.key, s.action, s.destructive ?? false, s.sensitive])).toEqual([
      ["NODE_ENV", "update", false, false],
      ["OLD", "delete", true, true],
    ])
    expect(configBatch({ vars: {}, prune: true }, live).unset).toEqual(["NODE_ENV", "KEEP", "OLD"])
  })

  it("vars the manifest does not manage are a warning by key, never value; with prune none (they are deletes)", () => {
    const warnings = configWarnings({ vars: { NODE_ENV: "production" }, required: ["KEEP"] }, live)
    expect(warnings).toEqual([
      "config var(s) set on nails but not in the manifest: OLD; left alone (declare them in config.vars, or set config.prune: true to delete them)",
    ])
    expect(configWarnings({ vars: { NODE_ENV: "p" }, prune: true }, live)).toEqual([])
    expect(configWarnings({ vars: { NODE_ENV: "p", KEEP: "k", OLD: "o" } }, live)).toEqual([])
  })

  it("required keys missing live and not declared are a plan problem: an error, or a warning while add-ons are being provisioned", () => {
    const empty: ConfigLive = { app: "nails", appExists: false, vars: {}, addonOwned: [], clashes: [] }
    const desired = { vars: { A: "1" }, required: ["A", "DATABASE_URL", "REDIS_URL"] }
    const diffed = diffConfig(desired, empty)
    expect(diffed.changes.map((s) => [s.key, s.action])).toEqual([["vars", "create"]])
    expect(membersOf(diffed).map((s) => s.key)).toEqual(["A"])
    expect(diffed.problems).toEqual([
      {
        key: "(required)",
        message:
          "required config vars are missing: DATABASE_URL, REDIS_URL (declare them in config.vars, or add the add-on that sets them)",
      },
    ])
    const addon = { wave: "addons", action: "create" } as unknown as Step
    expect(diffConfig(desired, empty, { earlier: [addon], later: [] }).problems?.[0]?.severity).toBe(
      "warning",
    )
    expect(diffConfig({ vars: {}, required: ["DATABASE_URL"] }, live).problems).toEqual([])
  })

  it("declared vars that add-ons set are an error problem", () => {
    const problems = diffConfig({ vars: {} }, { ...live, clashes: ["DATABASE_URL (set by pg)"] }).problems
    expect(problems?.[0]?.message).toContain("DATABASE_URL (set by pg)")
    expect(problems?.[0]?.severity ?? "error").toBe("error")
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
