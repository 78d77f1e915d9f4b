import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { formatProblem, loadManifest, secretEnvFromRecord } from "./index.ts"
import { fixtures, testSections } from "./testing.ts"

const SECRET = "hunter2-super-secret"
const problemsOf = (dir: string, env: string) =>
  loadManifest({ dir: `${fixtures}/${dir}`, env, sections: testSections }).pipe(
    Effect.provide(secretEnvFromRecord({ PRESENT_SECRET: SECRET, JWT_SECRET: SECRET })),
    Effect.flip,
    Effect.map((error) => error.problems.map(formatProblem)),
  )

const at = (dir: string, file: string) => `test/fixtures/manifests/${dir}/${file}`

describe("manifest problems are reported as file:line:col: path: message", () => {
  it.effect("YAML syntax error", () =>
    Effect.gen(function* () {
      expect(yield* problemsOf("syntax", "broken")).toEqual([
        `${at("syntax", "broken.yaml")}:5:1: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      ])
    }),
  )

  it.effect("duplicate key, at the second occurrence", () =>
    Effect.gen(function* () {
      expect(yield* problemsOf("duplicate", "dup")).toEqual([
        `${at("duplicate", "dup.yaml")}:9:7: spec.fake.vars.FOO: duplicate key "FOO"`,
      ])
    }),
  )

  it.effect("all problems at once: wrong apiVersion/kind, unknown keys and sections, wrong types", () =>
    Effect.gen(function* () {
      const f = at("errors", "many.yaml")
      const problems = yield* problemsOf("errors", "many")
      expect(problems).toEqual([
        `${f}:1:13: apiVersion: expected "reconcile/v1", got "reconcile/v2"`,
        `${f}:2:7: kind: expected "Release", got "Deployment"`,
        `${f}:5:3: metadata.extnds: unknown key "extnds" (did you mean "extends"?)`,
        `${f}:6:1: labels: unknown key "labels" (known keys: apiVersion, kind, metadata, spec)`,
        `${f}:8:3: spec.fakes: unknown section "fakes" (did you mean "fake"?)`,
        `${f}:10:5: spec.fake.varz: unknown key "varz" (did you mean "vars"?)`,
        `${f}:12:12: spec.fake.vars.FOO: expected a string or { fromEnv: NAME }, got a list`,
        `${f}:13:15: spec.fake.quantity: expected a number, got "lots"`,
        `${f}:14:13: spec.fake.region: expected one of "us" | "eu", got "mars"`,
      ])
      expect(problems).toHaveLength(9)
    }),
  )

  it.effect("a missing required key points at its parent map", () =>
    Effect.gen(function* () {
      const f = at("missing", "nometa.yaml")
      expect(yield* problemsOf("missing", "nometa")).toEqual([
        `${f}:1:1: missing required key "kind"`,
        `${f}:2:1: metadata: missing required key "name"`,
        `${f}:3:11: metadata.extends: expected a string, got null`,
        `${f}:5:3: spec.fake: missing required key "vars"`,
      ])
    }),
  )

  it.effect("a missing fromEnv variable is named, and no secret value appears in any message", () =>
    Effect.gen(function* () {
      const f = at("secrets", "prod.yaml")
      const problems = yield* problemsOf("secrets", "prod")
      expect(problems).toEqual([
        `${f}:9:15: spec.fake.vars.ABSENT: environment variable ABSENT_SECRET is not set`,
        `${f}:10:27: spec.fake.vars.BADNAME.fromEnv: expected an environment variable name (letters, digits and _, not starting with a digit)`,
      ])
      for (const p of problems) expect(p).not.toContain(SECRET)
      const error = yield* loadManifest({
        dir: `${fixtures}/secrets`,
        env: "prod",
        sections: testSections,
      }).pipe(Effect.provide(secretEnvFromRecord({ PRESENT_SECRET: SECRET })), Effect.flip)
      expect(`${error.message}\n${String(error)}\n${JSON.stringify(error)}`).not.toContain(SECRET)
    }),
  )

  it.effect("a problem in the base file is reported at the base file's position", () =>
    Effect.gen(function* () {
      expect(yield* problemsOf("basefault", "child")).toEqual([
        `${at("basefault", "base.yaml")}:9:12: spec.fake.prune: expected a boolean, got "sometimes"`,
      ])
    }),
  )

  it.effect("a missing base is reported at the extends value", () =>
    Effect.gen(function* () {
      expect(yield* problemsOf("nobase", "child")).toEqual([
        `${at("nobase", "child.yaml")}:5:12: metadata.extends: base manifest ${at("nobase", "nope.yaml")} not found`,
      ])
    }),
  )

  it.effect("an extends cycle shows the chain", () =>
    Effect.gen(function* () {
      const a = at("cycle", "a.yaml")
      const b = at("cycle", "b.yaml")
      expect(yield* problemsOf("cycle", "a")).toEqual([
        `${b}:3:12: metadata.extends: extends cycle: ${a} → ${b} → ${a}`,
      ])
    }),
  )
})

describe("formatProblem", () => {
  it("omits the path at the document root", () => {
    expect(formatProblem({ file: "m/x.yaml", line: 1, col: 1, path: "", message: "oops" })).toBe(
      "m/x.yaml:1:1: oops",
    )
    expect(formatProblem({ file: "m/x.yaml", line: 3, col: 5, path: "spec.a", message: "oops" })).toBe(
      "m/x.yaml:3:5: spec.a: oops",
    )
  })
})
