/** The Heroku sections through the real manifest loader and JSON Schema generator. */
import * as fs from "node:fs"
import { Ajv } from "ajv"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { sectionsOf } from "../../engine/cli/session.ts"
import {
  formatProblem,
  loadManifest,
  manifestJsonSchema,
  secretEnvFromRecord,
} from "../../engine/manifest/index.ts"
import { herokuPlugins } from "./support.ts"

const sections = sectionsOf(herokuPlugins)

describe("Heroku sections in the manifest", () => {
  it("report every problem as file:line:col: path: message", async () => {
    const problems = await Effect.runPromise(
      loadManifest({ dir: "test/fixtures/heroku/invalid", env: "bad", sections }).pipe(
        Effect.provide(secretEnvFromRecord({})),
        Effect.flip,
        Effect.map((e) => e.problems.map(formatProblem)),
      ),
    )
    const f = "test/fixtures/heroku/invalid/bad.yaml"
    expect(problems).toEqual([
      `${f}:6:16: spec.app.name: expected a Heroku app name (3-30 characters: lowercase letters, digits and dashes, starting with a letter)`,
      `${f}:8:70: spec.addons[0].absent: heroku-postgresql holds data and is protected: set protect: false to delete it`,
      `${f}:9:15: spec.addons[1].plan: expected "service:plan", e.g. "heroku-postgresql:essential-0"`,
      `${f}:9:35: spec.addons[1].as: expected an attachment name: uppercase letters, digits and _ (e.g. DATABASE)`,
      `${f}:13:19: spec.config.vars.BAD-NAME: expected a config var name (letters, digits and _)`,
      `${f}:15:22: spec.formation.web.quantity: expected a whole number of dynos from 0 to 100`,
    ])
  })

  it("export a JSON Schema for editors that accepts the fixtures' manifests", () => {
    const schema = manifestJsonSchema(sections)
    for (const key of ['"app"', '"addons"', '"config"', '"formation"', '"fromEnv"', '"absent"']) {
      expect(JSON.stringify(schema)).toContain(key)
    }
    const validate = new Ajv({ strict: false }).compile(schema)
    const read = (file: string): unknown => parse(fs.readFileSync(`test/fixtures/heroku/${file}`, "utf8"))
    expect(validate(read("e2e/base.yaml")), JSON.stringify(validate.errors)).toBe(true)
    expect(validate(read("e2e/changed.yaml")), JSON.stringify(validate.errors)).toBe(true)
    expect(validate(read("invalid/bad.yaml"))).toBe(false)
  })
})
