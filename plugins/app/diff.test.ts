import { describe, expect, it } from "vitest"
import { type AppLive, appDiffProblems, appWarnings, diffApp, sameBuildpacks } from "./diff.ts"
import { appProblems } from "./validate.ts"

const live: AppLive = {
  exists: true,
  region: "us",
  stack: "heroku-24",
  buildStack: "heroku-24",
  maintenance: false,
  buildpacks: [{ url: "heroku/nodejs", name: "heroku/nodejs" }],
  acm: false,
  features: undefined,
}

describe("diffApp", () => {
  it("a missing app is one create step carrying every setting", () => {
    const steps = diffApp(
      { name: "nails", region: "eu", stack: "heroku-22", buildpacks: ["heroku/nodejs"], maintenance: true },
      { exists: false },
    )
    expect(steps).toHaveLength(1)
    expect(steps[0]).toMatchObject({
      key: "nails",
      action: "create",
      after: {
        name: "nails",
        region: "eu",
        stack: "heroku-22",
        buildpacks: "heroku/nodejs",
        maintenance: true,
      },
    })
    expect(steps[0]?.change).toEqual({
      kind: "create",
      spec: {
        name: "nails",
        region: "eu",
        stack: "heroku-22",
        buildpacks: ["heroku/nodejs"],
        maintenance: true,
      },
    })
  })

  it("an app as declared needs nothing; absent settings are left alone", () => {
    expect(
      diffApp({ name: "nails", region: "us", stack: "heroku-24", buildpacks: ["heroku/nodejs"] }, live),
    ).toEqual([])
    expect(diffApp({ name: "nails" }, { ...live, maintenance: true, buildpacks: undefined })).toEqual([])
  })

  it("build stack, buildpacks and maintenance are separate updates", () => {
    const steps = diffApp(
      {
        name: "nails",
        stack: "heroku-22",
        buildpacks: ["heroku/nodejs", "heroku/python"],
        maintenance: true,
      },
      live,
    )
    expect(steps.map((s) => [s.key, s.action, s.before, s.after])).toEqual([
      ["stack", "update", "heroku-24", "heroku-22"],
      ["buildpacks", "update", "heroku/nodejs", "heroku/nodejs, heroku/python"],
      ["maintenance", "update", false, true],
    ])
    expect(steps[1]?.change).toEqual({
      kind: "buildpacks",
      app: "nails",
      buildpacks: ["heroku/nodejs", "heroku/python"],
    })
  })

  it("buildpacks match by name or URL, in order", () => {
    const installed = [
      { url: "https://github.com/x/bp.tgz", name: null },
      { url: "heroku/nodejs", name: "heroku/nodejs" },
    ]
    expect(sameBuildpacks(["https://github.com/x/bp.tgz", "heroku/nodejs"], installed)).toBe(true)
    expect(sameBuildpacks(["heroku/nodejs", "https://github.com/x/bp.tgz"], installed)).toBe(false)
    expect(diffApp({ name: "nails", buildpacks: [] }, live)[0]).toMatchObject({
      key: "buildpacks",
      after: "(none)",
    })
  })

  it("a region cannot change in place: a warning, not a step", () => {
    expect(diffApp({ name: "nails", region: "eu" }, live)).toEqual([])
    expect(appWarnings({ name: "nails", region: "eu" }, live)[0]).toContain("region us, the manifest says eu")
    expect(appWarnings({ name: "nails", region: "eu" }, { exists: false })).toEqual([])
  })
})

describe("acm and features", () => {
  it("each differing feature and ACM is its own update; absent features are left alone", () => {
    const have = {
      ...live,
      features: { preboot: false, "runtime-dyno-metadata": true, "http-session-affinity": true },
    }
    const steps = diffApp(
      { name: "nails", acm: true, features: { preboot: true, "runtime-dyno-metadata": true } },
      have,
    )
    expect(steps.map((s) => [s.key, s.before, s.after])).toEqual([
      ["acm", false, true],
      ["features/preboot", false, true],
    ])
    expect(steps[1]?.change).toEqual({ kind: "feature", app: "nails", name: "preboot", enabled: true })
  })

  it("a feature the app does not offer is a plan problem, not a step", () => {
    const have = { ...live, features: { preboot: false } }
    const spec = { name: "nails", features: { "no-such-thing": true } }
    expect(diffApp(spec, have)).toEqual([])
    expect(appDiffProblems(spec, have)).toEqual([
      {
        key: "features/no-such-thing",
        message: "unknown app feature no-such-thing (this app offers: preboot)",
      },
    ])
  })

  it("a new app is created with its features and ACM", () => {
    const [step] = diffApp({ name: "nails", acm: true, features: { preboot: true } }, { exists: false })
    expect(step?.after).toMatchObject({ acm: true, features: "preboot on" })
  })
})

describe("appProblems", () => {
  it("names every Heroku section used without an app section", () => {
    expect(appProblems({ config: { vars: {} }, formation: {} })).toEqual([
      { path: ["config"], message: expect.stringContaining("needs the app section") },
      { path: ["formation"], message: expect.stringContaining("needs the app section") },
    ])
    expect(appProblems({ app: { name: "nails" }, config: { vars: {} } })).toEqual([])
  })
})
