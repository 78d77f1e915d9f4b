import { describe, expect, it } from "vitest"
import { type AppFacts, parseAppJson, parseProcfile, parseSchemaPrisma } from "./facts.ts"
import { infer, stemOf } from "./infer.ts"

const facts = (over: Partial<AppFacts>): AppFacts => ({ dir: "/app", folder: "app", entries: [], ...over })

describe("reading an app's repository", () => {
  it("Procfile process types, release included, comments and blank lines skipped", () => {
    expect(parseProcfile("web: node a.js\n# x\n\nworker:  node w.js\r\nrelease: node m.js\n")).toEqual([
      "web",
      "worker",
      "release",
    ])
  })

  it("Prisma's url and directUrl, ignoring commented-out lines", () => {
    const schema = `datasource db {\n  provider = "postgresql"\n  // url = env("OLD")\n  url = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")\n}`
    expect(parseSchemaPrisma(schema)).toEqual({ urlEnv: "DATABASE_URL", directUrlEnv: "DIRECT_URL" })
  })

  it("app.json: bare-string vars and add-ons, buildpack URLs", () => {
    const app = parseAppJson({
      env: { A: "1", B: { generator: "secret" } },
      addons: ["heroku-redis", { plan: "heroku-postgresql:standard-0", as: "PRIMARY" }],
      buildpacks: [{ url: "heroku/nodejs" }],
    })
    expect(app?.env).toEqual({ A: { value: "1" }, B: { generator: "secret" } })
    expect(app?.addons).toEqual([
      { plan: "heroku-redis" },
      { plan: "heroku-postgresql:standard-0", as: "PRIMARY" },
    ])
    expect(app?.buildpacks).toEqual(["heroku/nodejs"])
  })
})

describe("inferring the shared spec", () => {
  it("secrets and required vars become fromEnv (placeholders locally); add-on vars are left to the add-on", () => {
    const i = infer(
      facts({
        appJson: parseAppJson({
          env: { S: { generator: "secret" }, R: { required: true }, V: { value: "x" }, DATABASE_URL: "no" },
          addons: ["heroku-postgresql"],
        }),
      }),
    )
    const config = i.base.config as { vars: Record<string, unknown>; required: ReadonlyArray<string> }
    expect(config.vars).toEqual({ S: { fromEnv: "S" }, R: { fromEnv: "R" }, V: "x" })
    expect(config.required).toEqual(["DATABASE_URL"])
    expect(Object.keys(i.localVars)).toEqual(["S", "R"])
    expect(i.base.addons).toEqual([{ plan: "heroku-postgresql:essential-0", as: "DATABASE" }])
    expect(i.decide.join("\n")).toContain("the plan of heroku-postgresql (essential-0 assumed)")
  })

  it("a directUrl is read from the runner, but locally from the add-on's config var", () => {
    const i = infer(facts({ prisma: { urlEnv: "DATABASE_URL", directUrlEnv: "DIRECT_URL" } }))
    expect((i.base.database as { url: unknown }).url).toEqual({ fromEnv: "DIRECT_URL" })
    expect(i.localDatabaseUrl).toEqual({ fromConfigVar: "DATABASE_URL" })
  })

  it("formation from the Procfile without its release phase; the source leaves out dotfiles and manifests", () => {
    const i = infer(
      facts({
        procfile: ["web", "worker", "release"],
        entries: [".env", ".npmrc", "manifests", "src", "node_modules"],
      }),
    )
    expect(i.base.formation).toEqual({
      web: { quantity: 1, size: "basic" },
      worker: { quantity: 1, size: "basic" },
    })
    expect(i.base.release).toEqual({ source: { dir: ".", include: [".npmrc", "src"] } })
  })

  it("app name stems are valid Heroku names", () => {
    expect(stemOf("@acme/My Shop!")).toBe("my-shop")
    expect(stemOf("9")).toBe("my-app")
  })
})

describe("an empty folder", () => {
  it("gives a spec with no release, config or formation, and says what is missing", () => {
    const i = infer(facts({}))
    expect(Object.keys(i.base)).toEqual(["app"])
    expect(i.decide).toEqual(
      expect.arrayContaining([
        "no app.json: declare the add-ons and config vars in base.yaml",
        "no package.json: the Node.js buildpack builds from one",
        "what to deploy: no source files were found, so spec.release is left out",
      ]),
    )
  })

  it("attachment names from app.json are made valid (uppercase, underscores)", () => {
    const i = infer(
      facts({ appJson: parseAppJson({ addons: [{ plan: "heroku-redis:mini", as: "session-store" }] }) }),
    )
    expect(i.base.addons).toEqual([{ plan: "heroku-redis:mini", as: "SESSION_STORE" }])
  })
})
