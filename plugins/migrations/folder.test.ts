/**
 * Reading a migrations folder: a migration.sql that is a regular file is read directly; a symlink is
 * followed only to a file inside the allowed roots; anything else is refused with a one-line reason.
 */
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { checksumOf, readMigrations } from "./folder.ts"

/** A repository root holding `migrations/` with the given migration folders, and a folder outside. */
const layout = (migrations: Record<string, string>) => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "reconcile-folder-")))
  const repo = join(base, "repo")
  const outside = join(base, "outside")
  mkdirSync(outside, { recursive: true })
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(join(repo, "migrations", name), { recursive: true })
    writeFileSync(join(repo, "migrations", name, "migration.sql"), sql)
  }
  return { repo, outside, dir: join(repo, "migrations") }
}

const read = (repo: string) => Effect.runPromise(Effect.either(readMigrations(repo, "migrations")))

describe("readMigrations", () => {
  it("reads plain files in name order with their checksums; a symlink inside is followed", async () => {
    const { repo, dir } = layout({ "2_b": "SELECT 2;", "1_a": "SELECT 1;" })
    mkdirSync(join(dir, "3_c"))
    symlinkSync(join(dir, "1_a", "migration.sql"), join(dir, "3_c", "migration.sql"))
    mkdirSync(join(dir, "4_dangling"))
    symlinkSync(join(dir, "nowhere.sql"), join(dir, "4_dangling", "migration.sql"))
    mkdirSync(join(dir, "5_empty_folder"))
    const r = await read(repo)
    expect(r._tag).toBe("Right")
    if (r._tag !== "Right") return
    expect(r.right.map((m) => [m.name, m.sql])).toEqual([
      ["1_a", "SELECT 1;"],
      ["2_b", "SELECT 2;"],
      ["3_c", "SELECT 1;"],
    ])
    expect(r.right[1]?.checksum).toBe(checksumOf("SELECT 2;"))
    expect(r.right[1]?.file).toBe(join(dir, "2_b", "migration.sql"))
  })

  it("refuses a symlink to a file outside the repository", async () => {
    const { repo, outside, dir } = layout({ "1_a": "SELECT 1;" })
    writeFileSync(join(outside, "evil.sql"), "DROP TABLE users;")
    mkdirSync(join(dir, "2_b"))
    symlinkSync(join(outside, "evil.sql"), join(dir, "2_b", "migration.sql"))
    const r = await read(repo)
    expect(r._tag).toBe("Left")
    if (r._tag !== "Left") return
    expect(r.left.message).toMatch(
      /2_b\/migration\.sql resolves to .*evil\.sql, outside .*\(it must be inside /,
    )
    expect(r.left.message).not.toMatch(/\n/)
  })

  it("refuses a migration.sql that is a folder, naming it and the roots", async () => {
    const { repo, dir } = layout({ "1_a": "SELECT 1;" })
    mkdirSync(join(dir, "2_b", "migration.sql"), { recursive: true })
    const r = await read(repo)
    expect(r._tag).toBe("Left")
    if (r._tag !== "Left") return
    expect(r.left.message).toMatch(
      /2_b\/migration\.sql is a folder, expected a regular file \(it must be inside /,
    )
  })
})
