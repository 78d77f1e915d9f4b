/**
 * The design's boundaries, checked on the source: the engine never imports plugins or the simulator,
 * only bin/ composes them, nothing outside bin/ runs Effects, and the JSON Schema checked in for
 * editors matches what the plugins compose.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { productPlugins as plugins } from "../bin/plugins.ts"
import { sectionsOf } from "../engine/cli/session.ts"
import { manifestJsonSchema } from "../engine/manifest/index.ts"

const sources = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sources(path)
    return path.endsWith(".ts") ? [path] : []
  })

const imports = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1] ?? "")

describe("architecture", () => {
  it("engine/ never imports plugins/ or sim/", () => {
    const offenders = sources("engine").flatMap((f) =>
      imports(f)
        .filter((i) => /(^|\/)(plugins|sim)\//.test(i))
        .map((i) => `${f} imports ${i}`),
    )
    expect(offenders).toEqual([])
  })

  it("only plugins/index.ts lists the plugins", () => {
    const listing = sources("plugins").filter(
      (f) =>
        f !== join("plugins", "index.ts") && imports(f).some((i) => /^\.\.\/[a-z-]+\/plugin\.ts$/.test(i)),
    )
    expect(listing).toEqual([])
  })

  it("no Effect.run* below the process edge (bin/), tests aside", () => {
    const offenders = ["engine", "plugins"]
      .flatMap(sources)
      .filter(
        (f) =>
          !f.endsWith(".test.ts") && /Effect\.run(Promise|Sync|Fork|Callback)/.test(readFileSync(f, "utf8")),
      )
    expect(offenders).toEqual([])
  })

  it("manifests/manifest.schema.json is up to date (regenerate with npm run schema)", () => {
    const checkedIn = JSON.parse(readFileSync("manifests/manifest.schema.json", "utf8"))
    expect(checkedIn).toEqual(manifestJsonSchema(sectionsOf(plugins)))
  })
})
