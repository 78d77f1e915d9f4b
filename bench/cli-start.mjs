// CLI start time: median wall time of 10 runs of the bundled `reconcile --help`, against bare
// `node -e 0` on the same machine (the floor no CLI can beat). Target (issue 2): median under 300 ms.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"

const runs = Number(process.env.BENCH_RUNS ?? 10)
if (!existsSync("dist/reconcile.mjs")) spawnSync("npm", ["run", "build"], { stdio: "inherit" })

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}
const time = (args) => {
  const samples = []
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] })
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`)
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  return median(samples)
}

const floor = time(["-e", "0"])
const help = time(["dist/reconcile.mjs", "--help"])
const lines = [
  `reconcile --help: median ${help.toFixed(0)} ms of ${runs} runs of the bundled CLI`,
  `node -e 0 (floor): median ${floor.toFixed(0)} ms; ratio --help / floor ${(help / floor).toFixed(2)}×`,
]
for (const line of lines) console.log(line)
const target = { target: "--help under 300 ms median", figure: `${help.toFixed(0)} ms`, met: help < 300 }
console.log(`target: ${target.target}: ${target.figure} (${target.met ? "met" : "NOT met"})`)
console.log(`BENCH_RESULT ${JSON.stringify({ name: "CLI start", lines, targets: [target] })}`)
