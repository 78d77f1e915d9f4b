import { describe, expect, it } from "@effect/vitest"
import { deepMerge } from "./merge.ts"
import { suggest } from "./suggest.ts"
import { parseManifestText, pathKey } from "./yamlFile.ts"

describe("parseManifestText", () => {
  it("maps value paths to key and value positions, in block and flow style and in lists", () => {
    const parsed = parseManifestText("m.yaml", "a:\n  b: { c: 1 }\n  list:\n    - x\n    - { y: 2 }\n")
    expect(parsed.problems).toEqual([])
    expect(parsed.raw).toEqual({ a: { b: { c: 1 }, list: ["x", { y: 2 }] } })
    expect(parsed.positions.get(pathKey(["a", "b"]))).toEqual({
      key: { line: 2, col: 3 },
      value: { line: 2, col: 6 },
    })
    expect(parsed.positions.get(pathKey(["a", "b", "c"]))?.key).toEqual({ line: 2, col: 8 })
    expect(parsed.positions.get(pathKey(["a", "list", 1]))?.value).toEqual({ line: 5, col: 7 })
    expect(parsed.positions.get(pathKey(["a", "list", 1, "y"]))?.value).toEqual({ line: 5, col: 12 })
  })

  it("an empty document is the root at 1:1", () => {
    const parsed = parseManifestText("m.yaml", "# nothing\n")
    expect(parsed.raw).toBeNull()
    expect(parsed.positions.get(pathKey([]))).toEqual({ value: { line: 1, col: 1 } })
  })
})

describe("deepMerge", () => {
  it("merges maps, replaces lists and scalars, keeps __proto__ as data", () => {
    const base = { a: { x: 1, y: [1, 2] }, b: "base", c: { d: 1 } }
    const over = JSON.parse('{"a":{"y":[3],"z":true},"c":"flat","__proto__":{"p":1}}')
    const merged = deepMerge(base, over) as Record<string, unknown>
    expect(merged).toEqual({ a: { x: 1, y: [3], z: true }, b: "base", c: "flat", ["__proto__"]: { p: 1 } })
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
  })

  it("a reference form is replaced whole, never merged with another form", () => {
    const base = { database: { url: { fromConfigVar: "DATABASE_URL" }, backup: { provider: "heroku" } } }
    expect(deepMerge(base, { database: { url: { fromEnv: "DIRECT_URL" } } })).toEqual({
      database: { url: { fromEnv: "DIRECT_URL" }, backup: { provider: "heroku" } },
    })
    expect(deepMerge(base, { database: { url: "postgres://h/db" } })).toEqual({
      database: { url: "postgres://h/db", backup: { provider: "heroku" } },
    })
    // a literal map over a reference, and a reference over a map, replace too
    expect(deepMerge({ v: { fromEnv: "A" } }, { v: { other: 1 } })).toEqual({ v: { other: 1 } })
    expect(deepMerge({ v: { other: 1 } }, { v: { fromEnv: "A" } })).toEqual({ v: { fromEnv: "A" } })
  })
})

describe("suggest", () => {
  it("finds a close key or a common prefix, and nothing for unrelated keys", () => {
    expect(suggest("varz", ["vars", "prune"])).toBe("vars")
    expect(suggest("Prun", ["vars", "prune"])).toBe("prune")
    expect(suggest("quantityPerDyno", ["quantity", "size"])).toBe("quantity")
    expect(suggest("zzz", ["vars", "prune"])).toBeUndefined()
  })
})
