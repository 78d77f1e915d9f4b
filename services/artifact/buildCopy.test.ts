import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterEach, describe, expect, it } from "vitest"
import { runBuild } from "./buildCommand.ts"
import { withBuildCopy } from "./buildCopy.ts"

let tree = ""
afterEach(() => rmSync(tree, { recursive: true, force: true }))

describe("the dry-run build copy", () => {
  it("builds in a copy: output and tool caches never land in the tree, and the copy is removed", async () => {
    tree = mkdtempSync(join(tmpdir(), "build-copy-"))
    mkdirSync(join(tree, "node_modules", "tool"), { recursive: true })
    writeFileSync(join(tree, "node_modules", "tool", "index.js"), "tool\n")
    mkdirSync(join(tree, ".git"))
    writeFileSync(
      join(tree, "build.sh"),
      "mkdir -p node_modules/.cache dist && echo x > node_modules/.cache/c && cat node_modules/tool/index.js > dist/out\n",
    )
    let copyDir = ""
    const out = await Effect.runPromise(
      withBuildCopy(tree, (copy) => {
        copyDir = copy
        return runBuild({ command: "sh build.sh", cwd: copy, timeoutMs: 10_000, secrets: [] }).pipe(
          Effect.map((r) => ({
            ok: r.ok,
            built: readFileSync(join(copy, "dist", "out"), "utf8"),
            git: existsSync(join(copy, ".git")),
          })),
        )
      }),
    )
    expect(out).toEqual({ ok: true, built: "tool\n", git: false })
    expect(readdirSync(tree).sort()).toEqual([".git", "build.sh", "node_modules"])
    expect(readdirSync(join(tree, "node_modules"))).toEqual(["tool"])
    expect(existsSync(copyDir)).toBe(false)
  })
})
