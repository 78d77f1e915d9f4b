/**
 * Fleet drift at Heroku's real budget: dry-runs of 300 environments (one app each, in one
 * simulator, 50 ms per request) split across 4 runner PROCESSES started at once, as an Actions
 * matrix would run them, against one account budget (4500 calls, refilled 75 a minute, as Heroku).
 * Each runner's client paces itself from RateLimit-Remaining; the bench prints the total requests,
 * the 429s (the target: none) and, per runner, its request rate in each band of RateLimit-Remaining
 * (measured in the runner as its requests leave it) beside the spacing its pacing asks for there.
 *
 * The account starts partly used, as a scheduled drift run finds it: the budget is shared by
 * everything on the account (deploys, people, the dashboard), and a fresh 4500 would let 300
 * environments' drift (~1,200 calls) finish without ever reaching the pacing point (2250 left).
 * Seeding the apps spends part of the budget and "other work" spends the rest, so that the run
 * ends about 1000 calls below the pacing point: deep enough that every runner visibly slows, shallow
 * enough (pacing asks ≤ ~0.5 s a request there) that the run stays short.
 * Each environment: an app with its buildpack, 60 config vars (one drifted) and a release section.
 * Run: `npx tsx bench/fleet.ts` (no database needed).
 */
import { spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
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
  /** CPU time of the runner's process (user + system) while it ran its environments. */
  readonly cpuMs: number
  /** [sent at (ms), RateLimit-Remaining last seen] for each request, as it left the runner. */
  readonly sends: ReadonlyArray<readonly [number, number | null]>
}

/** A runner process, loaded: `start()` sets it going and resolves with its report. */
const runner = (env: NodeJS.ProcessEnv) =>
  new Promise<{ readonly start: () => Promise<RunnerReport> }>((loaded, fail) => {
    const profile = process.env.BENCH_FLEET_PROFILE
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        ...(profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profile}`]),
        "bench/fleetRunner.ts",
      ],
      { env, stdio: ["pipe", "pipe", "inherit"] },
    )
    let out = ""
    let announced = false
    let done: (r: RunnerReport) => void = () => {}
    let failed: (e: Error) => void = fail
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString()
      if (!announced && out.startsWith("ready\n")) {
        announced = true
        loaded({
          start: () =>
            new Promise<RunnerReport>((ok, no) => {
              done = ok
              failed = no
              child.stdin.end("go\n")
            }),
        })
      }
    })
    child.on("close", (code) =>
      code === 0
        ? done(JSON.parse(out.trim().split("\n").at(-1)!) as RunnerReport)
        : failed(new Error(`runner exit ${code}`)),
    )
  })

/** Bands of RateLimit-Remaining, highest first: unpaced, then ever slower. */
const bands: ReadonlyArray<readonly [number, number]> = [
  [paceBelow, Number.POSITIVE_INFINITY],
  [2000, paceBelow],
  [1750, 2000],
  [1500, 1750],
  [1250, 1500],
  [0, 1250],
]
const bandName = ([lo, hi]: readonly [number, number]) =>
  hi === Number.POSITIVE_INFINITY ? `≥ ${lo}` : lo === 0 ? `< ${hi}` : `${lo}–${hi - 1}`

interface Band {
  readonly band: readonly [number, number]
  readonly requests: number
  /** Requests a second while the runner saw this band (0 with fewer than 2 requests). */
  readonly perSecond: number
  readonly medianGapMs: number
  /** The least spacing the client's pacing asks for in this band (at its top). */
  readonly askedMs: number
}

/** One runner's requests by the budget it last saw, with its rate and spacing in each band. */
const byBand = (sends: ReadonlyArray<readonly [number, number | null]>): ReadonlyArray<Band> => {
  // before its first answer a runner knows no budget (JSON turned Infinity into null): not paced
  const mine = sends
    .map(([t, left]) => ({ t, left: typeof left === "number" ? left : Number.POSITIVE_INFINITY }))
    .sort((x, y) => x.t - y.t)
  return bands.map((band) => {
    const inBand = mine.filter((e) => e.left >= band[0] && e.left < band[1])
    const gaps = inBand.slice(1).map((e, i) => e.t - inBand[i]!.t)
    const span = inBand.length < 2 ? 0 : inBand.at(-1)!.t - inBand[0]!.t
    return {
      band,
      requests: inBand.length,
      perSecond: span === 0 ? 0 : ((inBand.length - 1) / span) * 1000,
      medianGapMs: gaps.length === 0 ? 0 : median(gaps),
      askedMs: band[1] === Number.POSITIVE_INFINITY ? 0 : paceGapMs(band[1] - 1),
    }
  })
}

/**
 * Paced: the runner sent some requests below the pacing point, and in every band there (with a few
 * requests) they left at least as far apart as its pacing asks at the band's top, on average. The
 * client spaces every request from the one before by the gap for the budget it last saw, so no
 * single gap should be shorter either; the rate is compared rather than each gap because the time a
 * request is recorded here trails its release by the pacer by a few varying milliseconds (more on a
 * CPU-starved runner), which shifts single gaps but not the rate over a band.
 * Whether that is slower than its unpaced rate shows on a quiet machine; a CPU-starved runner is
 * slower than any ask near the top.
 */
const paced = (report: ReadonlyArray<Band>) => {
  const seen = report.slice(1).filter((b) => b.requests >= 5)
  return seen.length > 0 && seen.every((b) => b.perSecond <= 1000 / b.askedMs)
}

const manifest = (env: string, source: string) =>
  [
    "apiVersion: reconcile/v1",
    "kind: Release",
    `metadata: { name: ${env} }`,
    "spec:",
    `  app: { name: ${env}, region: us, stack: heroku-24, buildpacks: [heroku/nodejs] }`,
    "  config:",
    "    vars:",
    ...Object.entries(configVars()).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`),
    "  release:",
    `    source: { dir: ${JSON.stringify(source)}, include: [Procfile, package.json, server.js, web] }`,
    "    frontend: { dir: web/dist, digest: auto }",
    "",
  ].join("\n")

/** Where the run should end: this far below the pacing point (pacing asks ~0.5 s a request there). */
const endBelowPacing = 1000

const fixture = makeFixture()
const bench = await startBenchSim("postgres://unused@127.0.0.1:1/unused", {
  rateLimit: { capacity: 4500, refillPerMinute: 75 },
})
const remaining = async () =>
  ((await call(bench.sim.url, "GET", "/account/rate-limits")).body as { remaining: number }).remaining
try {
  const { sim } = bench
  const envs = Array.from({ length: N }, (_, i) => i)
  await pool(envs, 16, async (i) => {
    writeFileSync(join(fixture.manifests, `${name(i)}.yaml`), manifest(name(i), fixture.source))
    await call(sim.url, "POST", "/apps", { name: name(i), region: "us", stack: "heroku-24" })
    await call(sim.url, "PUT", `/apps/${name(i)}/buildpack-installations`, {
      updates: [{ buildpack: "heroku/nodejs" }],
    })
    await call(sim.url, "PATCH", `/apps/${name(i)}/config-vars`, { ...configVars(), VAR_01: `drift-${i}` })
  })
  const seeded = 4500 - (await remaining())
  // one environment's dry-run, to know what the fleet will spend
  sim.resetObservations()
  await bench.run(fixture.manifests, name(0), true)
  const perEnv = sim.counters().requests
  const target = paceBelow - endBelowPacing + N * perEnv
  const other = Math.max(0, (await remaining()) - target)
  await pool(
    Array.from({ length: other }, (_, i) => i),
    16,
    async () => void (await call(sim.url, "GET", `/apps/${name(0)}`)),
  )
  const startBudget = await remaining()
  sim.setFaults({ latencyMs })
  sim.resetObservations()
  const shards = Array.from({ length: runners }, (_, r) => envs.filter((i) => i % runners === r))
  // the runners load their code first (as matrix jobs start): the clock runs from "go" to the last report
  const loaded = await Promise.all(
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
  let reports: Array<RunnerReport> = []
  const fleetMs = await time(async () => {
    reports = await Promise.all(loaded.map((r) => r.start()))
  })
  const log = sim.requestLog()
  const limited = log.filter((e) => e.status === 429).length
  const endBudget = Math.min(...log.map((e) => e.rateLimitRemaining ?? startBudget))
  const failures = reports.flatMap((r) => r.failures)
  const drifted = reports.reduce((a, r) => a + r.drifted, 0)
  const perRunner = reports.map((r) => byBand(r.sends))
  const slowed = perRunner.every(paced)
  const cpu = reports.map((r) => r.cpuMs / r.envs)
  printResult({
    name: "Fleet drift",
    lines: [
      `${N} environment dry-runs across ${runners} runner processes (concurrency 16 each), ${latencyMs} ms per request, one account budget (4500, refill 75/min): ${(fleetMs / 1000).toFixed(1)} s, ${log.length} requests in total (${(log.length / N).toFixed(1)} per environment), ${limited} answered 429`,
      `budget: ${startBudget} left at the start (seeding ${N} apps spent ${seeded}, other work on the account ${other}, so the run ends about ${endBelowPacing} below the pacing point ${paceBelow}), lowest ${endBudget}`,
      `runner CPU per environment (dry-run in the runner's process): median ${median(cpu).toFixed(0)} ms (runners: ${cpu.map((c) => c.toFixed(0)).join(", ")} ms)`,
      ...perRunner.map(
        (report, r) =>
          `runner ${r + 1}, requests/s by RateLimit-Remaining seen: ${report
            .filter((b) => b.requests > 0)
            .map(
              (b) =>
                `${bandName(b.band)}: ${b.perSecond.toFixed(1)}/s (${b.requests} requests, median gap ${b.medianGapMs.toFixed(0)} ms${b.askedMs > 0 ? `; pacing adds ≥ ${b.askedMs} ms a request, ≤ ${(1000 / b.askedMs).toFixed(1)}/s` : ""})`,
            )
            .join("; ")}`,
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
