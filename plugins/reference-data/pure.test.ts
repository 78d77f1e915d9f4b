/** The pure parts of reference data: CSV reading and writing, and the per-table plan. */
import { describe, expect, it } from "vitest"
import { csvOf, parseCsv } from "./dataset.ts"
import { diffReferenceData } from "./diff.ts"
import { tableParts, tableRef } from "./sql.ts"

describe("reference data", () => {
  it("reads CSV as Postgres does: unquoted empty is null, quoted empty is the empty string", () => {
    expect(parseCsv('id,name\r\n1,"a ""b"", c"\n2,\n3,""\n')).toEqual([
      ["id", "name"],
      ["1", 'a "b", c'],
      ["2", null],
      ["3", ""],
    ])
    expect(csvOf([["1", null, ""]])).toBe('"1",,""\n')
  })

  it("plans one group for the dataset, a member per changed table with counts, deletes only when pruning", () => {
    const table = {
      table: "items",
      current: 10,
      inserted: 2,
      updated: 1,
      deleted: 3,
      samples: { inserted: ["11", "12"], updated: ["4"], deleted: ["7"] },
      digest: "",
    }
    const live = { database: "present" as const, tables: [table], version: "v1" }
    const [group] = diffReferenceData({ dir: "d", version: "v2" }, live)
    expect(group?.key).toBe("dataset")
    expect(group?.notes).toContain("items: 3 row(s) not in the dataset are kept (prune is off)")
    const kept = group?.members?.[0]
    expect(kept?.after).toEqual({ rows: 12, insert: 2, update: 1, delete: 0 })
    expect(kept?.destructive ?? false).toBe(false)
    const pruned = diffReferenceData({ dir: "d", version: "v2", prune: true }, live)[0]?.members?.[0]
    expect(pruned?.after).toEqual({ rows: 9, insert: 2, update: 1, delete: 3 })
    expect(pruned?.destructive).toBe(true)
    const same = { ...live, tables: [{ ...table, inserted: 0, updated: 0, deleted: 0 }] }
    expect(diffReferenceData({ dir: "d", version: "v1" }, same)).toEqual([])
    const version = diffReferenceData({ dir: "d", version: "v2" }, same)
    expect(version.flatMap((s) => s.members ?? []).map((s) => s.key)).toEqual(["(version)"])
  })
})

describe("table names", () => {
  it("bare parts keep their case; quoted parts hold dots and quotes; malformed names are refused", () => {
    expect(tableRef("ServiceType")).toBe('"ServiceType"')
    expect(tableRef("public.ServiceType")).toBe('"public"."ServiceType"')
    expect(tableRef('"Catalog"."Price.List"')).toBe('"Catalog"."Price.List"')
    expect(tableRef('"say ""hi"""')).toBe('"say ""hi"""')
    for (const bad of ["", "a.", ".a", '"open', 'a"b', "a.b.c", '"a"b', "a..b"]) {
      expect(tableParts(bad), bad).toBeUndefined()
    }
  })
})
