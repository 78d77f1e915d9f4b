/** The pure parts of migrations: statement splitting, non-transactional detection, classification. */
import { describe, expect, it } from "vitest"
import { classify, pendingFor } from "./classify.ts"
import { checksumMatches, checksumOf } from "./folder.ts"
import type { LedgerRow } from "./ledger.ts"
import { lineCol, notesOf, segmentsOf, splitStatements } from "./statements.ts"

const row = (name: string, sql: string, fields: Partial<LedgerRow> = {}): LedgerRow => ({
  id: name,
  checksum: checksumOf(sql),
  finishedAt: "2025-01-01T00:00:00.000Z",
  name,
  logs: null,
  rolledBackAt: null,
  startedAt: "2025-01-01T00:00:00.000Z",
  appliedStepsCount: 1,
  ...fields,
})
const m = (name: string, sql: string) => ({ name, file: `${name}/migration.sql`, sql })

describe("statements", () => {
  it("splits at top-level semicolons only", () => {
    const sql =
      "SELECT ';'; -- a; comment\nCREATE FUNCTION f() RETURNS int AS $x$ SELECT 1; $x$ LANGUAGE sql; /* ; */ SELECT \"a;b\";"
    expect(splitStatements(sql).map((s) => s.text.trim())).toEqual([
      "SELECT ';';",
      "-- a; comment\nCREATE FUNCTION f() RETURNS int AS $x$ SELECT 1; $x$ LANGUAGE sql;",
      '/* ; */ SELECT "a;b";',
    ])
  })

  it("runs CREATE INDEX CONCURRENTLY alone and says where; old servers get ALTER TYPE ADD VALUE alone too", () => {
    const sql =
      "CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY i ON a (id);\nALTER TYPE t ADD VALUE 'x';\n"
    expect(segmentsOf(sql, 150000).map((s) => s.alone ?? "tx")).toEqual([
      "tx",
      "CREATE INDEX CONCURRENTLY",
      "tx",
    ])
    expect(segmentsOf(sql, 110000).map((s) => s.alone ?? "tx")).toEqual([
      "tx",
      "CREATE INDEX CONCURRENTLY",
      "ALTER TYPE ... ADD VALUE (server older than 12)",
    ])
    expect(notesOf(sql, 150000)).toEqual(["runs outside a transaction: CREATE INDEX CONCURRENTLY (line 2)"])
    expect(segmentsOf("CREATE TABLE b (id int);", 150000)).toEqual([
      { start: 0, text: "CREATE TABLE b (id int);" },
    ])
    expect(lineCol("ab\ncd", 4)).toEqual({ line: 2, col: 2 })
  })
})

describe("classification", () => {
  it("tells applied, pending, failed, rolled back, edited and unknown apart", () => {
    const disk = [m("1", "A;\n"), m("2", "B;\n"), m("3", "C;\n"), m("4", "D;\n"), m("5", "E;\n")]
    const rows = [
      row("1", "A;\r\n"),
      row("2", "B changed;\n"),
      row("3", "C;\n", { finishedAt: null, logs: "ERROR: boom" }),
      row("4", "D;\n", { finishedAt: null, rolledBackAt: "2025-01-02T00:00:00.000Z" }),
      row("9", "Z;\n"),
    ]
    const { migrations, unknown } = classify(disk, rows)
    expect(migrations.map((x) => x.status)).toEqual(["applied", "edited", "failed", "rolled-back", "pending"])
    expect(unknown).toEqual(["9"])
    const plan = pendingFor(migrations, "latest", "prod")
    expect(plan.pending.map((x) => x.name)).toEqual(["3", "4", "5"])
    expect(plan.blockers.map((b) => b.name)).toEqual(["2", "3"])
    expect(plan.blockers[1]?.message).toContain("reconcile migrations resolve --rolled-back 3 --env prod")
  })

  it("refuses a target behind the database and an unknown target", () => {
    const disk = [m("1", "A;"), m("2", "B;")]
    const { migrations } = classify(disk, [row("1", "A;"), row("2", "B;")])
    expect(pendingFor(migrations, "1", "x").blockers[0]?.message).toContain("behind the database")
    expect(pendingFor(migrations, "7", "x").blockers[0]?.message).toContain("not in the migrations folder")
    expect(checksumMatches(checksumOf("a\r\nb"), "a\nb")).toBe(true)
  })
})
