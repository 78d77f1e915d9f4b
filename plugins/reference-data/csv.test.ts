/** CSV for COPY: a plain file goes as is, anything else is re-emitted quoted; both mean what the file says. */
import { describe, expect, it } from "vitest"
import { csvForCopy, csvOf, parseCsv } from "./csv.ts"

const meaning = (text: string) => {
  const [header, ...rows] = parseCsv(text)
  return { columns: (header ?? []).map((h) => h ?? ""), rows }
}

describe("csvForCopy", () => {
  it("sends a plain file's body as it is, with its count and first rows, without re-emitting it", () => {
    const body = Array.from({ length: 5000 }, (_, i) => `${i},C${i},${i % 3 === 0 ? "" : "x y"}`).join("\n")
    const r = csvForCopy(`id,code,label\n${body}\n`)
    expect(r.csv).toBe(`${body}\n`)
    expect(r.columns).toEqual(["id", "code", "label"])
    expect(r.count).toBe(5000)
    expect(r.head).toEqual([
      ["0", "C0", null],
      ["1", "C1", "x y"],
      ["2", "C2", "x y"],
    ])
    expect(csvForCopy("id,code\n1,a").csv).toBe("1,a\n")
    const trailing = csvForCopy("id,v,\n1,a,\n")
    expect(parseCsv(trailing.csv)).toEqual(meaning("id,v,\n1,a,\n").rows)
  })

  it.each([
    ["a line \\. (COPY's end of data)", "code\nA\n\\.\nB\n"],
    ["quotes", 'id,v\n1,"a, ""b"""\n2,""\n'],
    ["carriage returns", "id,v\r\n1,a\r\n2,\r\n"],
    ["blank lines", "\nid,v\n\n1,a\n\n2,b\n\n"],
  ])("re-emits a file with %s, quoted, meaning the same rows", (_, text) => {
    const r = csvForCopy(text)
    const m = meaning(text)
    expect(r.csv).toBe(csvOf(m.rows))
    expect(r.csv.split("\n")).not.toContain("\\.")
    expect(r.columns).toEqual(m.columns)
    expect(r.count).toBe(m.rows.length)
    expect(parseCsv(r.csv)).toEqual(m.rows)
  })

  it("refuses a row with the wrong number of fields, naming it, on either path", () => {
    expect(() => csvForCopy("id,v\n1,a\n2\n3,c\n")).toThrow("data row 2 has 1 field(s), the header 2")
    expect(() => csvForCopy("id,v\n1,a\n2,b,c\n")).toThrow("data row 2 has 3 field(s), the header 2")
    expect(() => csvForCopy('id,v\n1,"a"\n2\n')).toThrow("data row 2 has 1 field(s), the header 2")
  })

  it("reads an empty file as no columns and no rows", () => {
    expect(csvForCopy("")).toEqual({ columns: [], csv: "", count: 0, head: [] })
  })
})
