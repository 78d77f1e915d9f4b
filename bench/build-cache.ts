/**
 * The simulator's dependency cache: a first build of an app (npm ci from its lockfile, npm's local
 * cache first) against rebuilds with the lockfile unchanged (node_modules restored from the app's
 * cache). Target (issue 12): an unchanged lockfile rebuilds at least 5× faster than the first build.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { startSimulator } from "../sim/index.ts"
import { buildDir } from "../test/support/build.ts"
import { herokuClient } from "../test/support/simClient.ts"
import { describe, elapsed, interleave } from "./interleave.ts"
import { printResult, time } from "./support.ts"

const app = mkdtempSync(join(tmpdir(), "bench-build-app-"))
const dataDir = mkdtempSync(join(tmpdir(), "bench-build-sim-"))
// a typical service's dependencies, all from this repo's own lockfile (so npm installs them offline)
const dependencies = {
  ajv: "*",
  "ajv-formats": "*",
  effect: "*",
  pg: "*",
  tar: "*",
  typescript: "*",
  yaml: "*",
}
writeFileSync(
  join(app, "package.json"),
  JSON.stringify({ name: "bench-app", version: "1.0.0", private: true, dependencies }),
)
writeFileSync(join(app, "Procfile"), "web: node -e 0\n")
writeFileSync(join(app, "index.js"), "console.log('hello')\n")
const locked = spawnSync(process.execPath, ["scripts/lockfile-from-root.mjs", app], { stdio: "inherit" })
if (locked.status !== 0) throw new Error("could not write the bench app's lockfile")

const sim = await startSimulator({ tokens: ["bench"], dataDir })
try {
  const api = herokuClient(sim.url, "bench")
  const build = async (name: string, expect: string) => {
    const b = await buildDir(api, name, app)
    if (b.status !== "succeeded" || !b.output.includes(expect)) throw new Error(`build failed:\n${b.output}`)
  }
  // the dependency cache is per app: each pair's first build is a new app's (baseline), and the
  // rebuild (subject) is of the app whose first build came just before it, so both stay cold / warm
  const appOf = (i: number) => `bench-build-${i + 1}`
  await api.call("POST", "/apps", { body: { name: appOf(-1) } })
  await build(appOf(-1), "npm ci")
  const r = await interleave({
    pairs: 7,
    warmup: 0,
    subject: (i) => time(() => build(appOf(i - 1), "Restoring cached dependencies")).then(elapsed),
    baseline: async (i) => {
      await api.call("POST", "/apps", { body: { name: appOf(i) } })
      return elapsed(await time(() => build(appOf(i), "npm ci")))
    },
  })
  const first = r.baselineMedianMs
  const again = r.subjectMedianMs
  const ratio = 1 / r.ratio
  printResult({
    name: "build dependency cache",
    lines: [
      `first build (npm ci of ${Object.keys(dependencies).length} dependencies and their tree, median): ${(first / 1000).toFixed(2)} s`,
      `rebuild, lockfile unchanged (median): ${(again / 1000).toFixed(2)} s`,
      `ratio first / rebuild: ${describe(r, true)} faster`,
    ],
    targets: [
      {
        target: "unchanged lockfile rebuild ≥ 5× faster than the first build",
        figure: `${ratio.toFixed(1)}× (spread ${(1 / r.spread.max).toFixed(1)}–${(1 / r.spread.min).toFixed(1)}×)`,
        met: ratio >= 5,
        noisy: r.noisy,
      },
    ],
  })
} finally {
  await sim.close()
  rmSync(app, { recursive: true, force: true })
  rmSync(dataDir, { recursive: true, force: true })
}
