import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { declaredSchema, strategyOf } from "./facts.ts"

describe("migration safety facts", () => {
  it("reads the release strategy defensively", () => {
    expect(strategyOf({})).toEqual({ preboot: false, rollback: false })
    expect(strategyOf({ app: { features: { preboot: true } }, release: { onFailure: "rollback" } })).toEqual({
      preboot: true,
      rollback: true,
    })
    expect(strategyOf({ app: "odd", release: null })).toEqual({ preboot: false, rollback: false })
  })

  it("the running release's schema is the committed one (HEAD) merged with the working tree's", async () => {
    const repo = mkdtempSync(join(tmpdir(), "reconcile-schema-"))
    const git = (...args: Array<string>) =>
      execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", ...args])
    git("init", "-q")
    mkdirSync(join(repo, "prisma", "migrations", "m_1"), { recursive: true })
    const file = join(repo, "prisma", "migrations", "m_1", "migration.sql")
    writeFileSync(file, 'ALTER TABLE "User" DROP COLUMN "name";\n')
    writeFileSync(join(repo, "prisma", "schema.prisma"), "model User {\n  id Int @id\n  name String\n}\n")
    git("add", ".")
    git("commit", "-qm", "deployed")
    // the change being planned: the schema no longer declares name
    writeFileSync(join(repo, "prisma", "schema.prisma"), "model User {\n  id Int @id\n}\n")
    const declared = await Effect.runPromise(
      declaredSchema({}, [{ name: "m_1", file, sql: "", checksum: "" }]),
    )
    expect([...(declared.get("User") ?? [])].sort()).toEqual(["id", "name"])
  })
})
