/**
 * The sample app's static contracts: app.json is a structure a Heroku Button accepts, the Prisma
 * schema and migration agree, the reference data is in foreign-key order, and the frontend digest
 * depends on paths and contents only.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Schema from "effect/Schema"
import { describe, expect, test } from "vitest"
import { parse } from "yaml"
import { DatasetManifest } from "../plugins/reference-data/dataset.ts"
import { digestFiles } from "./digest.mjs"

const root = resolve(import.meta.dirname, "..")
const read = (path: string) => readFileSync(join(root, path), "utf8")
type Obj = Record<string, unknown>

describe("app.json", () => {
  const appJson = JSON.parse(read("app.json")) as Obj
  test("env values are strings or {description, value, required, generator: secret}", () => {
    const env = appJson.env as Record<string, unknown>
    expect(Object.keys(env).length).toBeGreaterThan(0)
    for (const [key, value] of Object.entries(env)) {
      expect(key).toMatch(/^\w+$/)
      if (typeof value === "string") continue
      const v = value as Obj
      for (const k of Object.keys(v)) expect(["description", "value", "required", "generator"]).toContain(k)
      if (v.generator !== undefined) expect(v.generator).toBe("secret")
      if (v.generator === undefined)
        expect(typeof v.value === "string" || v.required !== undefined).toBe(true)
    }
    expect(Object.values(env).some((v) => (v as Obj).generator === "secret")).toBe(true)
  })
  test("add-ons, formation, buildpacks and postdeploy are well formed", () => {
    for (const addon of appJson.addons as unknown[]) {
      const plan = typeof addon === "string" ? addon : (addon as Obj).plan
      expect(plan).toMatch(/^[a-z0-9-]+(:[a-z0-9-]+)?$/)
    }
    for (const [type, f] of Object.entries(appJson.formation as Record<string, Obj>)) {
      expect(type).toMatch(/^[-\w]{1,128}$/)
      expect(Number.isInteger(f.quantity)).toBe(true)
    }
    expect((appJson.buildpacks as Obj[]).every((b) => typeof b.url === "string")).toBe(true)
    expect(typeof (appJson.scripts as Obj).postdeploy).toBe("string")
    expect(read("app/Procfile")).toMatch(/^web: node server\/server\.mjs$/m)
  })
})

describe("prisma", () => {
  test("migrations are in Prisma's folder format and create every mapped table", () => {
    expect(read("prisma/migrations/migration_lock.toml")).toMatch(/^provider = "postgresql"$/m)
    const folders = readdirSync(join(root, "prisma/migrations"), { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    )
    expect(folders.length).toBeGreaterThan(0)
    const sql = folders
      .map((d) => {
        expect(d.name).toMatch(/^\d{14}_[a-z0-9_]+$/)
        return read(`prisma/migrations/${d.name}/migration.sql`)
      })
      .join("\n")
    const schema = read("prisma/schema.prisma")
    expect(schema).toMatch(/provider = "postgresql"/)
    const tables = [...schema.matchAll(/@@map\("(\w+)"\)/g)].map((m) => m[1])
    expect(tables).toEqual(["service_categories", "services", "bookings"])
    for (const t of tables) expect(sql).toContain(`CREATE TABLE "${t}"`)
    expect(sql).toContain('FOREIGN KEY ("category_id") REFERENCES "service_categories"("id")')
    expect(sql).toContain('FOREIGN KEY ("service_id") REFERENCES "services"("id")')
  })
})

describe("reference data", () => {
  test("dataset.yaml is in the loader's format, in foreign-key order, with unique ids", () => {
    // decoded with the reference-data plugin's own schema, so the app and the loader cannot drift apart
    const dataset = Schema.decodeUnknownSync(DatasetManifest, { onExcessProperty: "error" })(
      parse(read("app/reference-data/dataset.yaml")),
    )
    expect(dataset.tables.map((t) => t.table)).toEqual(["service_categories", "services"])
    const rows = Object.fromEntries(
      dataset.tables.map((t) => [t.table, JSON.parse(read(`app/reference-data/${t.file}`)) as Obj[]]),
    )
    for (const t of dataset.tables) {
      const ids = rows[t.table]!.map((r) => r.id)
      expect(new Set(ids).size).toBe(ids.length)
    }
    const categories = new Set(rows.service_categories!.map((c) => c.id))
    for (const s of rows.services!) expect(categories.has(s.category_id)).toBe(true)
  })
})

describe("frontend digest", () => {
  const a = { path: "index.html", content: Buffer.from("<html>") }
  const b = { path: "assets/app.js", content: Buffer.from("x") }
  test("ignores the order of files, depends on paths and contents", () => {
    expect(digestFiles([a, b])).toBe(digestFiles([b, a]))
    expect(digestFiles([a, b])).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(digestFiles([a, { ...b, content: Buffer.from("y") }])).not.toBe(digestFiles([a, b]))
    expect(digestFiles([a, { ...b, path: "assets/other.js" }])).not.toBe(digestFiles([a, b]))
  })
})
