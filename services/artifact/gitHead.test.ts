import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, expect, it } from "vitest"
import { readGitHead } from "./gitHead.ts"

const root = mkdtempSync(join(tmpdir(), "reconcile-githead-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const a = "a".repeat(40)
const b = "b".repeat(40)

const repo = (name: string, files: Record<string, string>) => {
  const dir = join(root, name)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  mkdirSync(join(dir, "src", "deep"), { recursive: true })
  return join(dir, "src", "deep")
}

it("reads a branch's loose ref, a packed ref, a detached HEAD and a worktree's pointer", () => {
  expect(
    readGitHead(repo("loose", { ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": `${a}\n` })),
  ).toBe(a)
  expect(
    readGitHead(
      repo("packed", {
        ".git/HEAD": "ref: refs/heads/main\n",
        ".git/packed-refs": `# pack-refs\n${b} refs/heads/main\n`,
      }),
    ),
  ).toBe(b)
  expect(readGitHead(repo("detached", { ".git/HEAD": `${a}\n` }))).toBe(a)
  const main = join(root, "loose", ".git")
  mkdirSync(join(main, "worktrees", "wt"), { recursive: true })
  writeFileSync(join(main, "worktrees", "wt", "HEAD"), "ref: refs/heads/main\n")
  writeFileSync(join(main, "worktrees", "wt", "commondir"), "../..\n")
  expect(readGitHead(repo("wt", { ".git": `gitdir: ${join(main, "worktrees", "wt")}\n` }))).toBe(a)
})

it("is null outside a checkout or on an unborn branch, and undefined (ask git) for a layout it does not know", () => {
  const plain = join(root, "plain")
  mkdirSync(plain)
  // the temp dir may itself sit inside a checkout: only assert when it does not
  if (readGitHead(root) === null) expect(readGitHead(plain)).toBeNull()
  expect(readGitHead(repo("unborn", { ".git/HEAD": "ref: refs/heads/main\n" }))).toBeNull()
  expect(
    readGitHead(
      repo("reftable", { ".git/HEAD": "ref: refs/heads/.invalid\n", ".git/reftable/tables.list": "" }),
    ),
  ).toBeUndefined()
  expect(readGitHead(repo("odd", { ".git/HEAD": "something else\n" }))).toBeUndefined()
})

it("agrees with git on this checkout", async () => {
  const { execFileSync } = await import("node:child_process")
  expect(readGitHead(process.cwd())).toBe(
    execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim(),
  )
})
