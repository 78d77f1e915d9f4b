/**
 * Fleet drift at Heroku's real budget: dry-runs of 300 environments (one app each, in one
 * simulator, 50 ms per request) split across 4 runner PROCESSES started at once, as an Actions
 * matrix would run them, against one account budget (4500 calls, refilled 75 a minute, as Heroku).
 * Each runner's client paces itself from RateLimit-Remaining; the bench prints the total requests,
 * the 429s (the target: none) and each runner's request rate above and below the point where pacing
 * starts, measured in each runner as its requests leave it. The manifest is the production one without its
 * database section; each app is seeded (through the same budget) with its app, buildpacks and
 * config vars, one var drifted. Run: `npx tsx bench/fleet.ts` (no database needed).
 */
import { spawn } from "node:child_process"
import { paceBelow, paceGapMs } from "../services/heroku/pace.ts"
import { configVars, makeFixture } from "./fixture.ts"
import { call } from "./perItem.ts"
import { startBenchSim, token } from "./sim.ts"
import { median, printResult, time } from "./support.ts"

const N = Number(process.env.BENCH_FLEET ?? 300)
const runners = 4
const latencyMs = 50
const name = (i: number) => `fleet-${String(i).padStart(3, "0")}`

const pool = async (items: ReadonlyArray<number>, width: number, f: (i: number) => Promise<void>) => {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await f(items[next++]!)
    }),
  )
}

interface RunnerReport {
  readonly envs: number
  readonly drifted: number
  readonly failures: ReadonlyArray<string>
  readonly ms: number
  /** [sent at (ms), RateLimit-Remaining last seen] for each request, as it left the runner. */
  readonly sends: ReadonlyArray<readonly [number, number]>
}

const runner = (env: NodeJS.ProcessEnv) =>
  new Promise<RunnerReport>((ok, fail) => {
    const child = spawn("node_modules/.bin/tsx", ["bench/fleetRunner.ts"], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    })
    let out = ""
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString()
    })
    child.on("close", (code) =>
      code === 0
        ? ok(JSON.parse(out.trim().split("\n").at(-1)!) as RunnerReport)
        : fail(new Error(`runner exit ${code}`)),
    )
  })

/** Milliseconds between consecutive requests of one runner (entries sorted by time). */
const gaps = (entries: ReadonlyArray<{ readonly t: number; readonly left: number }>) =>
  entries.slice(1).map((e, i) => ({ gap: e.t - entries[i]!.t, pace: paceGapMs(entries[i]!.left) }))

const fixture = makeFixture()
const bench = await startBenchSim("postgres://unused@127.0.0.1:1/unused", {
  rateLimit: { capacity: 4500, refillPerMinute: 75 },
})
try {
  const { sim } = bench
  const envs = Array.from({ length: N }, (_, i) => i)
  await pool(envs, 16, async (i) => {
    fixture.write(name(i), name(i), { noDatabase: true })
    await call(sim.url, "POST", "/apps", { name: name(i), region: "us", stack: "heroku-24" })
    await call(sim.url, "PUT", `/apps/${name(i)}/buildpack-installations`, {
      updates: [{ buildpack: "heroku/nodejs" }],
    })
    await call(sim.url, "PATCH", `/apps/${name(i)}/config-vars`, { ...configVars(), VAR_01: `drift-${i}` })
  })
  const startBudget = ((await call(sim.url, "GET", "/account/rate-limits")).body as { remaining: number })
    .remaining
  sim.setFaults({ latencyMs })
  sim.resetObservations()
  const shards = Array.from({ length: runners }, (_, r) => envs.filter((i) => i % runners === r))
  let reports: Array<RunnerReport> = []
  const fleetMs = await time(async () => {
    reports = await Promise.all(
      shards.map((shard) =>
        runner({
          ...process.env,
          FLEET_SIM_URL: sim.url,
          FLEET_TOKEN: token,
          FLEET_MANIFESTS: fixture.manifests,
          FLEET_ENVS: shard.map(name).join(","),
        }),
      ),
    )
  })
  const log = sim.requestLog()
  const limited = log.filter((e) => e.status === 429).length
  const endBudget = Math.min(...log.map((e) => e.rateLimitRemaining ?? startBudget))
  const failures = reports.flatMap((r) => r.failures)
  const drifted = reports.reduce((a, r) => a + r.drifted, 0)
  // each runner's pace above and below the point where its client starts spacing requests
  const perRunner = reports.map((report) => {
    // before its first answer a runner knows no budget (JSON turned Infinity into null): not paced
    const mine = report.sends
      .map(([t, left]) => ({ t, left: typeof left === "number" ? left : Number.POSITIVE_INFINITY }))
      .sort((x, y) => x.t - y.t)
    const above = gaps(mine.filter((e) => e.left >= paceBelow))
    const below = gaps(mine.filter((e) => e.left < paceBelow))
    return {
      above: above.length === 0 ? 0 : median(above.map((g) => g.gap)),
      below: below.length === 0 ? 0 : median(below.map((g) => g.gap)),
      asked: below.length === 0 ? 0 : median(below.map((g) => g.pace)),
      belowCount: below.length,
    }
  })
  // paced: below the pacing point, a runner's requests are at least as far apart as its client asks
  const slowed = perRunner.every((p) => p.belowCount < 2 || p.below >= p.asked)
  printResult({
    name: "Fleet drift",
    lines: [
      `${N} environment dry-runs across ${runners} runner processes (concurrency 16 each), ${latencyMs} ms per request, one account budget (4500, refill 75/min): ${(fleetMs / 1000).toFixed(1)} s, ${log.length} requests in total (${(log.length / N).toFixed(1)} per environment), ${limited} answered 429; budget ${startBudget} at the start (after seeding ${N} apps), lowest ${endBudget}`,
      ...perRunner.map(
        (p, r) =>
          `runner ${r + 1}: median ${p.above.toFixed(1)} ms between its requests while RateLimit-Remaining ≥ ${paceBelow}; ${p.belowCount < 2 ? "never below" : `${p.below.toFixed(1)} ms below it (${p.belowCount} requests; its pacing asks ≥ ${p.asked.toFixed(1)} ms there)`}`,
      ),
      `${drifted} of ${N} environments show their drift${failures.length === 0 ? "" : `; ${failures.length} failed: ${failures.slice(0, 3).join("; ")}`}`,
    ],
    targets: [
      {
        target: `${N} environments across ${runners} runner processes at Heroku's budget: no 429, every runner paced as RateLimit-Remaining falls`,
        figure: `${(fleetMs / 1000).toFixed(1)} s, ${log.length} requests, ${limited} × 429, lowest budget ${endBudget}`,
        met: limited === 0 && failures.length === 0 && drifted === N && slowed,
      },
    ],
  })
} catch (e) {
  console.error(e)
  process.exitCode = 1
} finally {
  await bench.close()
  fixture.remove()
}
