import * as fs from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Ajv } from "ajv"
import { parse } from "yaml"
import { manifestJsonSchema } from "./index.ts"
import { fakeSection, fixtures, otherSection } from "./testing.ts"

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** `value.k1.k2...`, or undefined. */
const at = (value: unknown, ...keys: ReadonlyArray<string>): unknown =>
  keys.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), value)

const walk = (value: unknown, visit: (node: Record<string, unknown>) => void): void => {
  if (Array.isArray(value)) for (const item of value) walk(item, visit)
  else if (isObject(value)) {
    visit(value)
    for (const child of Object.values(value)) walk(child, visit)
  }
}

describe("manifestJsonSchema", () => {
  it("is deterministic, whatever order the sections come in", () => {
    const a = JSON.stringify(manifestJsonSchema([fakeSection, otherSection]))
    const b = JSON.stringify(manifestJsonSchema([otherSection, fakeSection]))
    expect(a).toBe(b)
  })

  it("is a draft-07 object describing the YAML side, with additionalProperties false on every struct", () => {
    const schema = manifestJsonSchema([fakeSection, otherSection])
    expect(at(schema, "$schema")).toBe("http://json-schema.org/draft-07/schema#")
    expect(at(schema, "title")).toBe("reconcile release manifest")
    expect(typeof at(schema, "description")).toBe("string")
    const specProps = at(schema, "properties", "spec", "properties")
    expect(Object.keys(isObject(specProps) ? specProps : {})).toEqual(["fake", "other"])
    expect(at(specProps, "fake", "description")).toBe("A made-up section for tests")
    const vars = JSON.stringify(at(specProps, "fake", "properties", "vars"))
    expect(vars).toContain('"fromEnv"')
    expect(vars).not.toContain("Redacted")
    let structs = 0
    walk(schema, (node) => {
      const props = node.properties
      if (node.type === "object" && isObject(props) && Object.keys(props).length > 0) {
        structs++
        expect(node.additionalProperties).toBe(false)
      }
    })
    expect(structs).toBeGreaterThanOrEqual(5)
  })

  it("compiles with ajv and accepts a valid manifest, rejecting a broken one", () => {
    const validate = new Ajv({ strict: false }).compile(manifestJsonSchema([fakeSection, otherSection]))
    const read = (file: string): unknown => parse(fs.readFileSync(`${fixtures}/${file}`, "utf8"))
    expect(validate(read("valid/production.yaml"))).toBe(true)
    expect(validate(read("errors/many.yaml"))).toBe(false)
  })
})
