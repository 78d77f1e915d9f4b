/** Pure parts of the release plugin: the deterministic tarball, the diff, and the rollback target. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as tar from "tar"
import { afterAll, describe, expect, test } from "vitest"
import { PluginError } from "../../engine/index.ts"
import { checksumOf, collectFiles, tarGz } from "../../services/artifact/tarball.ts"
import type { Release } from "../../services/heroku/releaseSchemas.ts"
import { diffRelease } from "./diff.ts"
import type { ReleaseLive } from "./observe.ts"
import { rollbackTarget } from "./rollback.ts"
import type { ReleaseSpec } from "./spec.ts"

const dir = mkdtempSync(join(tmpdir(), "tarball-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("source tarball", () => {
  mkdirSync(join(dir, "src/app/deep"), { recursive: true })
  mkdirSync(join(dir, "src/node_modules/x"), { recursive: true })
  writeFileSync(join(dir, "src/Procfile"), "web: node app/server.mjs\n")
  writeFileSync(join(dir, "src/app/server.mjs"), "console.log(1)\n")
  writeFileSync(join(dir, "src/app/deep/run.sh"), "#!/bin/sh\n")
  chmodSync(join(dir, "src/app/deep/run.sh"), 0o775)
  writeFileSync(join(dir, "src/node_modules/x/index.js"), "skipped")
  const pack = () => checksumOf(tarGz(collectFiles(join(dir, "src"), ["app", "Procfile"])))

  test("the same tree gives the same checksum, whatever the file times", () => {
    const first = pack()
    utimesSync(join(dir, "src/Procfile"), new Date(2001, 1, 1), new Date(2001, 1, 1))
    expect(pack()).toBe(first)
    writeFileSync(join(dir, "src/app/server.mjs"), "console.log(2)\n")
    expect(pack()).not.toBe(first)
  })

  test("extracts with sorted entries, fixed modes and no node_modules", async () => {
    const file = join(dir, "out.tgz")
    writeFileSync(file, tarGz(collectFiles(join(dir, "src"), ["app", "Procfile", "node_modules"])))
    const entries: Array<{ path: string; mode: number; mtime: number }> = []
    await tar.t({
      file,
      onReadEntry: (e) =>
        void entries.push({ path: e.path, mode: e.mode ?? 0, mtime: e.mtime?.getTime() ?? -1 }),
    })
    expect(entries).toEqual([
      { path: "Procfile", mode: 0o644, mtime: 0 },
      { path: "app/deep/run.sh", mode: 0o755, mtime: 0 },
      { path: "app/server.mjs", mode: 0o644, mtime: 0 },
    ])
  })

  test("refuses paths outside the source dir", () => {
    expect(() => collectFiles(join(dir, "src"), ["../etc"])).toThrow(/outside/)
  })
})

const spec: ReleaseSpec = { source: { dir: ".", include: ["app"] } }
const local = {
  checksum: "SHA256:aa",
  size: 1,
  frontendDigest: "sha256:bb",
  frontendMismatch: null,
  version: null,
}
const live = (over: Partial<ReleaseLive>): ReleaseLive => ({
  app: "a",
  appId: "id",
  current: { version: 3, slugId: "s", checksum: "SHA256:aa" },
  servedDigest: "sha256:bb",
  local,
  promotion: null,
  ...over,
})

describe("diff", () => {
  test("nothing to do when the running source is the desired one", () => {
    expect(diffRelease(spec, live({}))).toEqual([])
  })
  test("a different source plans a deploy showing the frontend digests", () => {
    const [step] = diffRelease(
      spec,
      live({ current: { version: 3, slugId: "s", checksum: "SHA256:old" }, servedDigest: "sha256:old" }),
    )
    expect(step).toMatchObject({
      key: "deploy",
      action: "update",
      before: { release: "v3", frontend: "sha256:old…" },
    })
  })
  test("a pinned digest that does not match the build plans a deploy that will fail", () => {
    const [step] = diffRelease(spec, live({ local: { ...local, frontendMismatch: "mismatch" } }))
    expect(step?.notes).toContain("mismatch")
    expect(step?.change).toMatchObject({ kind: "deploy", frontendMismatch: "mismatch" })
  })
})

const release = (version: number, over: Partial<Release> = {}): Release => ({
  id: `r${version}`,
  version,
  status: "succeeded",
  description: "",
  current: false,
  eligible_for_rollback: true,
  slug: { id: `s${version}` },
  created_at: "",
  ...over,
})

describe("rollback target", () => {
  const all = [
    release(1, { slug: null }),
    release(2),
    release(3, { status: "failed", eligible_for_rollback: false }),
    release(4, { current: true }),
  ]
  test("defaults to the previous eligible release with a slug", () => {
    expect(rollbackTarget(all)).toMatchObject({ version: 2 })
  })
  test("refuses a release without a slug, with the reason", () => {
    expect((rollbackTarget(all, 1) as PluginError).detail).toMatch(/v1 has no slug .*no code/)
  })
  test("refuses an expired, ineligible or current release", () => {
    expect((rollbackTarget(all, 3) as PluginError).detail).toMatch(/not eligible/)
    expect((rollbackTarget([...all, release(5, { status: "expired" })], 5) as PluginError).detail).toMatch(
      /expired/,
    )
    expect((rollbackTarget(all, 4) as PluginError).detail).toMatch(/already current/)
    expect(rollbackTarget(all, 9)).toBeInstanceOf(PluginError)
  })
})
