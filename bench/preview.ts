/**
 * Preview latency on the production-sized manifest with 50 ms injected per request: wall time,
 * requests and observation depth of a `--dry-run` against the per-item baseline reading the same
 * facts one request at a time; then the peak RSS of the bundled CLI's dry-run of the same manifest.
 * Run: `npx tsx bench/preview.ts` (uses DATABASE_URL, else starts an embedded Postgres).
 */
import { execFile, spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { depthOfCalls } from "./depth.ts"
import { makeFixture } from "./fixture.ts"
import { describe, elapsed, interleave } from "./interleave.ts"
import { readAll } from "./perItem.ts"
import { counted, startBenchSim, token } from "./sim.ts"
import { printResult, startServer } from "./support.ts"

const latencyMs = 50
const rounds = Number(process.env.BENCH_RUNS ?? 7)

const server = await startServer()
const fixture = makeFixture()
const bench = await startBenchSim(server.adminUrl)
try {
  const { sim } = bench
  fixture.write("prod", "bench-prod")
  const first = await bench.run(fixture.manifests, "prod", false)
  if (first.summary?.converged !== true) throw new Error(`deploy did not converge: ${first.summary?.error}`)
  sim.setFaults({ latencyMs })
  const ours: Array<Awaited<ReturnType<typeof counted>>> = []
  const base: Array<Awaited<ReturnType<typeof counted>>> = []
  const depths: Array<number> = []
  const r = await interleave({
    pairs: rounds,
    warmup: 0,
    subject: async () => {
      bench.calls.length = 0
      const c = await counted(sim, () => bench.run(fixture.manifests, "prod", true))
      depths.push(depthOfCalls(bench.calls))
      ours.push(c)
      return elapsed(c.ms)
    },
    baseline: async () => {
      const c = await counted(sim, () => readAll(sim.url, "bench-prod"))
      base.push(c)
      return elapsed(c.ms)
    },
  })
  const o = r.subjectMedianMs
  const b = r.baselineMedianMs
  const speedup = 1 / r.ratio
  const last = ours[ours.length - 1]!
  // counted causally (bench/depth.ts), so a loaded machine that starts concurrent requests late
  // does not deepen it; the timed chain in the sim's log is shown beside it
  const depth = Math.max(...depths)
  const timedDepth = Math.max(...ours.map((r) => r.depth))
  const window =
    Math.max(...last.log.map((e) => Date.parse(e.at))) -
    Math.min(...last.log.map((e) => Date.parse(e.at) - e.durationMs))
  printResult({
    name: "Preview latency",
    lines: [
      `dry-run, production-sized manifest, ${latencyMs} ms per request (median): ${o.toFixed(0)} ms, ${last.requests} requests, ${last.log.filter((e) => e.status >= 400).length} answered ≥ 400`,
      `per-item baseline reading the same facts one at a time (median): ${b.toFixed(0)} ms, ${base[0]!.requests} requests (+ one psql per migration and table)`,
      `ratio baseline / dry-run: ${describe(r, true)} faster`,
      `observation depth (longest chain of requests each waiting for the one before, counted in the client): ${depth} round trips; longest chain the sim's request log timed: ${timedDepth}; first request to last answer ${window} ms = ${(window / latencyMs).toFixed(1)} × ${latencyMs} ms`,
    ],
    targets: [
      {
        target: "dry-run ≥ 5× faster than the per-item baseline",
        figure: `${speedup.toFixed(1)}× (spread ${(1 / r.spread.max).toFixed(1)}–${(1 / r.spread.min).toFixed(1)}×)`,
        met: speedup >= 5,
        noisy: r.noisy,
      },
      { target: "observation ≤ 2 round trips deep", figure: `${depth} round trips`, met: depth <= 2 },
    ],
  })
  // Peak memory of the bundled CLI's dry-run of the same manifest against the same simulator.
  if (!existsSync("dist/reconcile.mjs")) spawnSync("npm", ["run", "build"], { stdio: "inherit" })
  const rssFile = join(tmpdir(), `reconcile-bench-rss-${process.pid}`)
  // asynchronously: the simulator answering it runs in this process
  await promisify(execFile)(
    process.execPath,
    [
      "-r",
      "./bench/rss-hook.cjs",
      "dist/reconcile.mjs",
      "--env",
      "prod",
      "--dry-run",
      "--manifests",
      fixture.manifests,
    ],
    {
      env: {
        ...process.env,
        HEROKU_API_URL: sim.url,
        HEROKU_DATA_API_URL: sim.url,
        HEROKU_API_KEY: token,
        RECONCILE_QUIET: "1",
        BENCH_RSS_FILE: rssFile,
      },
    },
  )
  const rssMb = Number(readFileSync(rssFile, "utf8")) / 1024
  const floor = spawnSync(process.execPath, ["-r", "./bench/rss-hook.cjs", "-e", "0"], {
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
  })
  if (floor.status !== 0) throw new Error("node -e 0 failed")
  const floorMb = Number(readFileSync(rssFile, "utf8")) / 1024
  printResult({
    name: "CLI dry-run peak memory",
    lines: [
      `bundled CLI --dry-run of the production-sized manifest: peak RSS ${rssMb.toFixed(0)} MB`,
      `node -e 0 (floor): peak RSS ${floorMb.toFixed(0)} MB; ratio ${(rssMb / floorMb).toFixed(1)}×`,
    ],
    targets: [
      { target: "production dry-run peak RSS < 200 MB", figure: `${rssMb.toFixed(0)} MB`, met: rssMb < 200 },
    ],
  })
} catch (e) {
  console.error(e)
  process.exitCode = 1
} finally {
  await bench.close()
  fixture.remove()
  await server.close()
}
