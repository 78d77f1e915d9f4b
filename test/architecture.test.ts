/**
 * The design's boundaries, checked on the source: the engine imports none of plugins/, services/,
 * reporters/, sim/ or bin/; a plugin imports only the engine's public entry points (engine/index.ts;
 * engine/commandLine.ts for command definitions, engine/manifestSpec.ts for its manifest side),
 * services/ and its own folder, never a sibling plugin; only bin/ composes; nothing outside bin/ runs
 * Effects; every plugin folder has the same anatomy; plugins and services hold no module-level mutable state; and the JSON Schema checked in
 * for editors matches what the shipped plugins compose.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, normalize } from "node:path"
import { describe, expect, it } from "vitest"
import { productPlugins } from "../bin/plugins.ts"
import { sectionsOf } from "../engine/cli/session.ts"
import { manifestJsonSchema } from "../engine/manifest/index.ts"

const sources = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sources(path)
    return path.endsWith(".ts") ? [path] : []
  })

const imports = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1] ?? "")

/** Relative imports of `file`, resolved to repository paths (`plugins/config/diff.ts`). */
const resolvedImports = (file: string) =>
  imports(file)
    .filter((i) => i.startsWith("."))
    .map((i) =>
      normalize(join(dirname(file), i))
        .split("\\")
        .join("/"),
    )

const nonTest = (f: string) => !f.endsWith(".test.ts")

/**
 * The frontend digest is still the sample app's module (the deployed app computes what it serves
 * with it, and its tarball holds only app/); moving it into the product is left to a later change.
 */
const pendingServiceImports = ["services/artifact/artifact.ts imports app/digest.mjs"]

describe("architecture", () => {
  it("engine/ imports none of plugins/, services/, reporters/, sim/, scaffold/, bin/", () => {
    const offenders = sources("engine").flatMap((f) =>
      resolvedImports(f)
        .filter((i) => /^(plugins|services|reporters|sim|scaffold|bin)\//.test(i))
        .map((i) => `${f} imports ${i}`),
    )
    expect(offenders).toEqual([])
  })

  it("a plugin imports only engine/index.ts, services/ and its own folder (never a sibling plugin)", () => {
    const offenders = sources("plugins")
      .filter((f) => f !== join("plugins", "index.ts"))
      .flatMap((f) => {
        const own = `${dirname(f).split("\\").join("/")}/`
        return resolvedImports(f)
          .filter(
            (i) =>
              !(
                i.startsWith(own) ||
                i === "engine/index.ts" ||
                i === "engine/commandLine.ts" ||
                i === "engine/manifestSpec.ts" ||
                i.startsWith("services/")
              ),
          )
          .map((i) => `${f} imports ${i}`)
      })
    expect(offenders).toEqual([])
  })

  it("services/ and reporters/ import only engine/index.ts, services/ and themselves", () => {
    const offenders = ["services", "reporters"]
      .flatMap(sources)
      .filter(nonTest)
      .flatMap((f) =>
        resolvedImports(f)
          .filter(
            (i) =>
              !(
                i === "engine/index.ts" ||
                i === "engine/commandLine.ts" ||
                i === "engine/manifestSpec.ts" ||
                i.startsWith("services/") ||
                i.startsWith("reporters/")
              ),
          )
          .map((i) => `${f} imports ${i}`),
      )
    expect(offenders).toEqual(pendingServiceImports)
  })

  it("scaffold/ (init, import) imports only engine/index.ts, services/ and itself", () => {
    const offenders = sources("scaffold")
      .filter(nonTest)
      .flatMap((f) =>
        resolvedImports(f)
          .filter(
            (i) =>
              !(
                i === "engine/index.ts" ||
                i === "engine/commandLine.ts" ||
                i === "engine/manifestSpec.ts" ||
                i.startsWith("services/") ||
                i.startsWith("scaffold/")
              ),
          )
          .map((i) => `${f} imports ${i}`),
      )
    expect(offenders).toEqual([])
  })

  it("no instanceof on the tagged errors (match the tag: isPluginError, catchTag)", () => {
    const offenders = ["bin", "engine", "plugins", "services", "reporters", "scaffold"]
      .flatMap(sources)
      .filter((f) => nonTest(f) && /instanceof\s+(\w+Error)\b/.test(readFileSync(f, "utf8")))
    expect(offenders).toEqual([])
  })

  it("every plugin has the same anatomy: spec, observe, diff, apply, plugin (command, validate optional)", () => {
    const anatomy = ["spec.ts", "observe.ts", "diff.ts", "apply.ts", "plugin.ts"]
    const folders = readdirSync("plugins").filter((name) => statSync(join("plugins", name)).isDirectory())
    expect(folders.length).toBeGreaterThan(0)
    const missing = folders.flatMap((name) =>
      anatomy
        .filter((file) => !existsSync(join("plugins", name, file)))
        .map((file) => `plugins/${name}/${file}`),
    )
    expect(missing).toEqual([])
    // the old names of the optional parts stay gone
    const retired = folders.flatMap((name) =>
      ["problems.ts", "commands.ts"]
        .filter((f) => existsSync(join("plugins", name, f)))
        .map((f) => `plugins/${name}/${f}`),
    )
    expect(retired).toEqual([])
  })

  it("plugins reach Postgres through the Database service, never a pg client of their own", () => {
    const offenders = ["plugins", "reporters"]
      .flatMap(sources)
      .filter(nonTest)
      .filter((f) => {
        const text = readFileSync(f, "utf8")
        return (
          /import\s*\{[^}]*\bconnect\b[^}]*\}\s*from\s*"[./]*services\/database\/connect\.ts"/.test(text) ||
          /new\s+pg\.(Client|Pool)\b/.test(text) ||
          /new\s+Octokit\b/.test(text)
        )
      })
    expect(offenders).toEqual([])
  })

  it("reporters reach GitHub through the GitHub service, never a client of their own", () => {
    const offenders = sources("reporters")
      .filter(nonTest)
      .filter((f) => /\bcallGitHub\b|\bmakeOctokit\b|new\s+Octokit\b/.test(readFileSync(f, "utf8")))
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
    const offenders = ["engine", "plugins", "services", "reporters", "scaffold"]
      .flatMap(sources)
      .filter((f) => nonTest(f) && /Effect\.run(Promise|Sync|Fork|Callback)/.test(readFileSync(f, "utf8")))
    expect(offenders).toEqual([])
  })

  // Locks and caches moved into the executor (groups, ordered waves) and the per-run RunState service.
  it("plugins/ and services/ hold no module-level semaphores or mutable collections", () => {
    const offenders = ["plugins", "services"]
      .flatMap(sources)
      .filter(nonTest)
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .map((line, n) => ({ line, at: `${f}:${n + 1}` }))
          .filter(
            ({ line }) =>
              line.includes("unsafeMakeSemaphore") ||
              // module level (column 0); a collection typed Readonly* is a constant lookup table
              (/^(export )?(const|let|var) \w+(: (?!Readonly)[^=]+)? = new (Map|Set|WeakMap|WeakSet)\b/.test(
                line,
              ) &&
                !/^(export )?(const|let|var) \w+: Readonly(Set|Map)</.test(line)),
          )
          .map(({ line, at }) => `${at}: ${line.trim()}`),
      )
    expect(offenders).toEqual([])
  })

  it("the shipped CLI registers no test stand-in (no fake section in the published schema)", () => {
    expect(productPlugins.map((p) => p.name)).not.toContain("fake")
    const schema = readFileSync("manifests/manifest.schema.json", "utf8")
    expect(schema).not.toMatch(/"fake"/)
  })

  it("manifests/manifest.schema.json is up to date (regenerate with npm run schema)", () => {
    const checkedIn = JSON.parse(readFileSync("manifests/manifest.schema.json", "utf8"))
    expect(checkedIn).toEqual(manifestJsonSchema(sectionsOf(productPlugins)))
  })
})
