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
import { median, printResult, time } from "./support.ts"

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
  await api.call("POST", "/apps", { body: { name: "bench-build" } })
  const build = async (expect: string) => {
    const b = await buildDir(api, "bench-build", app)
    if (b.status !== "succeeded" || !b.output.includes(expect)) throw new Error(`build failed:\n${b.output}`)
  }
  const first = await time(() => build("npm ci"))
  const rebuilds: number[] = []
  for (let i = 0; i < 3; i++) rebuilds.push(await time(() => build("Restoring cached dependencies")))
  const again = median(rebuilds)
  const ratio = first / again
  printResult({
    name: "build dependency cache",
    lines: [
      `first build (npm ci of ${Object.keys(dependencies).length} dependencies and their tree): ${(first / 1000).toFixed(2)} s`,
      `rebuild, lockfile unchanged (median of 3): ${(again / 1000).toFixed(2)} s`,
      `ratio: ${ratio.toFixed(1)}× faster`,
    ],
    targets: [
      {
        target: "unchanged lockfile rebuild ≥ 5× faster than the first build",
        figure: `${ratio.toFixed(1)}×`,
        met: ratio >= 5,
      },
    ],
  })
} finally {
  await sim.close()
  rmSync(app, { recursive: true, force: true })
  rmSync(dataDir, { recursive: true, force: true })
}
