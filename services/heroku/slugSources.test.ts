import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { knownSource, rememberSource } from "./slugSources.js"

describe("the slug → source memory", () => {
  let previous: string
  beforeEach(() => {
    previous = process.cwd()
    process.chdir(mkdtempSync(join(tmpdir(), "slug-sources-")))
  })
  afterEach(() => process.chdir(previous))

  it("treats a file cut short as no entries instead of failing the run", async () => {
    mkdirSync(".reconcile")
    writeFileSync(join(".reconcile", "slug-sources.json"), '{"slug-1":"abc"}"slug-2":"de')
    await expect(Effect.runPromise(knownSource("slug-1"))).resolves.toBeNull()
  })

  it("keeps the file whole when many runs in one process remember at once", async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `slug-${i}`)
    await Effect.runPromise(
      Effect.forEach(ids, (id) => Effect.zipRight(rememberSource(id, `sum-${id}`), knownSource(id)), {
        concurrency: "unbounded",
      }),
    )
    const text = readFileSync(join(".reconcile", "slug-sources.json"), "utf8")
    expect(() => JSON.parse(text)).not.toThrow()
    // Concurrent writers may drop each other's entries (a cache), never corrupt the file.
    const last = await Effect.runPromise(
      Effect.zipRight(rememberSource("slug-x", "sum-x"), knownSource("slug-x")),
    )
    expect(last).toBe("sum-x")
  })
})
