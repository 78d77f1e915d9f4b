/**
 * Hostile `extends` targets and bytes: each is a positioned problem, found fast, never a hang, never a
 * silently dropped base, never a replaced character.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { formatProblem, loadManifest, secretEnvFromRecord } from "./index.ts"
import { testSections } from "./testing.ts"

const root = mkdtempSync(join(tmpdir(), "manifest-paths-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const derived = (base: string) =>
  `apiVersion: reconcile/v1\nkind: Release\nmetadata:\n  name: prod\n  extends: ${JSON.stringify(base)}\nspec:\n  fake:\n    vars: { A: "1" }\n`

/** A fresh manifests folder holding `prod.yaml` (extending `base`) and the given extra files. */
const folder = (base: string, extra: (dir: string) => void = () => {}) => {
  const dir = mkdtempSync(join(root, "m-"))
  writeFileSync(join(dir, "prod.yaml"), derived(base))
  extra(dir)
  return dir
}

/** The problems of loading `prod` from `dir`, formatted; fails the test when it loads. */
const problemsOf = async (dir: string, env = "prod") => {
  const result = await Effect.runPromise(
    loadManifest({ dir, env, sections: testSections }).pipe(
      Effect.provide(secretEnvFromRecord({})),
      Effect.match({ onFailure: (e) => e.problems.map(formatProblem), onSuccess: () => ["loaded"] }),
    ),
  )
  return result
}

describe("extends is confined to the manifests folder", () => {
  const atExtends = /prod\.yaml:5:12: metadata\.extends: /

  it("an absolute path outside (/etc/passwd) is refused, not an empty base", async () => {
    const [p] = await problemsOf(folder("/etc/passwd"))
    expect(p).toMatch(atExtends)
    expect(p).toContain("outside")
  })

  it("../ escapes and symlinks out are refused", async () => {
    writeFileSync(
      join(root, "outside.yaml"),
      "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: x }\n",
    )
    expect((await problemsOf(folder("../outside.yaml")))[0]).toMatch(atExtends)
    const linked = folder("base.yaml", (d) => symlinkSync(join(root, "outside.yaml"), join(d, "base.yaml")))
    const [p] = await problemsOf(linked)
    expect(p).toMatch(atExtends)
    expect(p).toContain("resolves to")
  })

  it("/dev/zero and a FIFO are refused before they are opened (no hang, no growth)", async () => {
    // reading /dev/zero or an unopened FIFO would never end: finishing at all is the check
    expect((await problemsOf(folder("/dev/zero")))[0]).toMatch(atExtends)
    const fifo = folder("pipe.yaml", (d) => execFileSync("mkfifo", [join(d, "pipe.yaml")]))
    const [p] = await problemsOf(fifo)
    expect(p).toMatch(atExtends)
    expect(p).toContain("a FIFO")
    const device = folder("zero.yaml", (d) => symlinkSync("/dev/zero", join(d, "zero.yaml")))
    expect((await problemsOf(device))[0]).toMatch(atExtends)
  }, 5000)

  it("a base that is a folder, too big, empty or not a map is refused", async () => {
    const cases: Array<[string, (d: string) => void, string]> = [
      ["sub", (d) => mkdirSync(join(d, "sub")), "a folder"],
      ["big.yaml", (d) => writeFileSync(join(d, "big.yaml"), `# ${"x".repeat(1024 * 1024)}\n`), "allowed"],
      ["empty.yaml", (d) => writeFileSync(join(d, "empty.yaml"), ""), "an empty document, expected a map"],
      ["list.yaml", (d) => writeFileSync(join(d, "list.yaml"), "- a\n- b\n"), "a list, expected a map"],
      [
        "text.yaml",
        (d) => writeFileSync(join(d, "text.yaml"), "root:x:0:0:root:/root:/bin/bash\n"),
        "a string",
      ],
    ]
    for (const [base, make, says] of cases) {
      const [p] = await problemsOf(folder(base, make))
      expect(p, base).toMatch(atExtends)
      expect(p, base).toContain(says)
    }
  })

  it("a base inside the folder still loads and merges", async () => {
    const dir = folder("base.yaml", (d) =>
      writeFileSync(
        join(d, "base.yaml"),
        'apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: base }\nspec:\n  fake:\n    vars: { B: "2" }\n',
      ),
    )
    expect(await problemsOf(dir)).toEqual(["loaded"])
  })
})

describe("manifest bytes", () => {
  it("invalid UTF-8 is an error at its line and column, never replaced", async () => {
    const dir = folder("base.yaml")
    writeFileSync(
      join(dir, "bad.yaml"),
      Buffer.concat([
        Buffer.from(
          'apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: bad }\nspec:\n  fake:\n    vars: { A: "ab',
        ),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('" }\n'),
      ]),
    )
    const [p] = await problemsOf(dir, "bad")
    expect(p).toMatch(/bad\.yaml:6:19: invalid UTF-8 \(byte 0xff/)
  })

  it("a NUL byte is an error; a leading byte-order mark is fine", async () => {
    const dir = folder("base.yaml")
    writeFileSync(join(dir, "nul.yaml"), "apiVersion: reconcile/v1\nkind: Rel\u0000ease\n")
    expect((await problemsOf(dir, "nul"))[0]).toMatch(/nul\.yaml:2:10: a NUL byte/)
    writeFileSync(
      join(dir, "bom.yaml"),
      '\ufeffapiVersion: reconcile/v1\nkind: Release\nmetadata: { name: bom }\nspec:\n  fake:\n    vars: { A: "1" }\n',
    )
    expect(await problemsOf(dir, "bom")).toEqual(["loaded"])
  })

  it("an environment file over 1 MiB is refused", async () => {
    const dir = folder("base.yaml")
    writeFileSync(join(dir, "huge.yaml"), `# ${"x".repeat(1024 * 1024)}\n`)
    expect((await problemsOf(dir, "huge"))[0]).toMatch(/huge\.yaml:1:1: cannot read manifest: .*allowed/)
  })
})
