/**
 * Plugins hold no mutable module state: per-run state lives in the RunState service, and the
 * executor (groups, ordered waves) does the coordinating that module-level locks and caches did.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const sources = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : []
  })

/** Lines at the top level of a module that make a semaphore or a mutable collection. */
const moduleState = (text: string): ReadonlyArray<string> =>
  text
    .split("\n")
    .filter(
      (line) =>
        /unsafeMakeSemaphore/.test(line) ||
        /^(export )?(const|let|var) [\w$]+(: [^=]+)? = new (Map|Set|WeakMap|WeakSet)\b/.test(line),
    )

describe("plugins/ hold no module state", () => {
  it("no unsafeMakeSemaphore and no module-level new Map/Set/WeakMap/WeakSet", () => {
    const found = sources("plugins").flatMap((file) =>
      moduleState(readFileSync(file, "utf8")).map((line) => `${file}: ${line.trim()}`),
    )
    expect(found).toEqual([])
  })

  it("the scan finds what it looks for", () => {
    expect(
      moduleState("const lock = Effect.unsafeMakeSemaphore(1)\nconst seen = new WeakSet<object>()"),
    ).toHaveLength(2)
    expect(moduleState("  const inner = new Map<string, number>()")).toEqual([])
  })
})
