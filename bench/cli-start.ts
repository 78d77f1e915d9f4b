/**
 * CLI start time: the bundled `reconcile --help`, `validate` (every manifest in manifests/) and
 * `schema`, each interleaved with bare `node -e 0` (the floor no CLI can beat), median of the pairwise
 * ratios. Target (issue 18.3): each within 3× of the floor. `--help` and `schema` are answered by the
 * entry from the table the build rendered (bin/start.ts), without loading Effect; `validate` runs its
 * handler with the plugins' sections, without @effect/cli (bin/validateStart.ts);
 * test/startBoundary.test.ts keeps it so.
 */
import { spawnSync } from "node:child_process"
import { describe, interleave } from "./interleave.ts"
import { printResult } from "./support.ts"

const pairs = Number(process.env.BENCH_RUNS ?? 9)
// always the current code: the entry and the chunks it loads (a stale dist/ would measure another build)
const built = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: ["ignore", "ignore", "inherit"] })
if (built.status !== 0) throw new Error("building the CLI (scripts/build.mjs) failed")

const env = { ...process.env, JWT_SECRET: "bench-not-a-secret" }
const node = (args: ReadonlyArray<string>) => async () => {
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], env })
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`)
}

const commands = [
  ["--help", ["dist/reconcile.mjs", "--help"]],
  ["validate", ["dist/reconcile.mjs", "validate"]],
  ["schema", ["dist/reconcile.mjs", "schema"]],
] as const
const lines: Array<string> = []
const targets = []
for (const [name, args] of commands) {
  const r = await interleave({ subject: node(args), baseline: node(["-e", "0"]), pairs })
  lines.push(
    `reconcile ${name}: median ${r.subjectMedianMs.toFixed(0)} ms; node -e 0 (floor): median ${r.baselineMedianMs.toFixed(0)} ms; ratio ${describe(r)}`,
  )
  targets.push({
    target: `${name} within 3× of node -e 0`,
    figure: `${r.ratio.toFixed(2)}× (${r.subjectMedianMs.toFixed(0)} ms; spread ${r.spread.min.toFixed(2)}–${r.spread.max.toFixed(2)}×)`,
    met: r.ratio <= 3,
    noisy: r.noisy,
  })
}
printResult({ name: "CLI start", lines, targets })
