import { describe, expect, it } from "vitest"
import { safetyProblems } from "./findings.ts"
import { parseSquawkJson } from "./lint.ts"
import { acknowledgementsOf, judge } from "./safety.ts"
import { createdTables, declaredBy, targetOf } from "./targets.ts"

const schema = `model User {
  id    Int    @id
  name  String
  email String @map("email_address")
  posts Post[]
}
model Post {
  id Int @id
  @@map("posts")
}
`

const finding = (rule: string, line: number) => ({ file: "m.sql", rule, line, message: "msg.", help: "help" })
const none = { preboot: false, rollback: false }

describe("migration safety (pure)", () => {
  it("finds the table and column a statement changes", () => {
    expect(targetOf('ALTER TABLE "User" DROP COLUMN "name"')).toEqual({ table: "User", column: "name" })
    expect(targetOf("alter table public.Users rename column a to b")).toEqual({ table: "users", column: "a" })
    expect(targetOf('CREATE UNIQUE INDEX CONCURRENTLY "i" ON ONLY "posts"("id")')).toEqual({ table: "posts" })
    expect(targetOf("DROP TABLE IF EXISTS old_things")).toEqual({ table: "old_things" })
    expect(targetOf('ALTER TABLE "t" ALTER COLUMN "z" TYPE bigint')).toEqual({ table: "t", column: "z" })
    expect(
      createdTables('CREATE TABLE "Post" (id int);\ncreate table if not exists public.tags (id int);'),
    ).toEqual(["Post", "tags"])
  })

  it("reads a Prisma schema's tables and columns (@map, @@map)", () => {
    const d = declaredBy(schema)
    expect([...(d.get("User") ?? [])]).toEqual(["id", "name", "email_address", "posts"])
    expect(d.has("posts")).toBe(true)
  })

  it("parses Squawk's JSON with 1-based lines", () => {
    const text = '[{"file":"a.sql","line":2,"rule_name":"ban-drop-column","message":"m","help":null}]'
    expect(parseSquawkJson(text)).toEqual([
      { file: "a.sql", rule: "ban-drop-column", line: 3, message: "m", help: null },
    ])
  })

  it("judges a declared dropped column breaking, an undeclared one safe, and honours acknowledgements", () => {
    const sql = 'ALTER TABLE "User" DROP COLUMN "name";\nALTER TABLE "User" DROP COLUMN "gone";\n'
    const [used, unused] = judge(
      sql,
      [finding("ban-drop-column", 1), finding("ban-drop-column", 2)],
      new Map(),
      declaredBy(schema),
      { preboot: true, rollback: false },
    )
    expect(used?.class).toBe("breaking")
    expect(used?.fact).toContain("preboot")
    expect(used?.fix).toContain("expand/contract")
    expect(unused?.class).toBe("safe")
    const acked = `-- reconcile: allow ban-drop-column because the column is unused since v41\n${sql}`
    expect(acknowledgementsOf(acked).get("ban-drop-column")).toBe("the column is unused since v41")
    const judged = judge(acked, [finding("ban-drop-column", 2)], new Map(), declaredBy(schema), none)
    expect(judged[0]?.acknowledged).toBe("the column is unused since v41")
    expect(safetyProblems({ findings: { m: judged } }, [{ name: "m" }], "block")).toEqual([])
  })

  it("judges an index slow from the table's size and safe on a small table", () => {
    const sql = 'CREATE INDEX "i" ON "t"("x");\n'
    const big = judge(
      sql,
      [finding("require-concurrent-index-creation", 1)],
      new Map([["t", { rows: 200_000, bytes: 9e6 }]]),
      new Map(),
      none,
    )
    expect(big[0]?.class).toBe("slow")
    expect(big[0]?.fact).toContain("≈200,000 rows")
    const small = judge(
      sql,
      [finding("require-concurrent-index-creation", 1)],
      new Map([["t", { rows: 12, bytes: 16384 }]]),
      new Map(),
      none,
    )
    expect(small[0]?.class).toBe("safe")
    const problems = safetyProblems({ findings: { m: big } }, [{ name: "m" }], "block")
    expect(problems.map((p) => p.severity)).toEqual(["error"])
    expect(safetyProblems({ findings: { m: big } }, [{ name: "m" }], "warn")).toEqual([])
  })
})
