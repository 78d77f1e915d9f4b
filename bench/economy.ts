/**
 * Apply economy on the production-sized manifest: releases created and requests sent by reconcile
 * for (a) a no-op, (b) 10 config changes, (c) a full first deploy, against the per-item baseline
 * run for real on the same simulator (one `heroku config:set` = one PATCH = one release per var).
 * The first deploy's wall time is measured as interleaved pairs (reconcile, per-item, each on a
 * fresh app of the same simulator, so both see the same simulated delays and injected latency):
 * the median ratio of >= 7 pairs with its spread. Both sides do the same work (the baseline takes the
 * backup reconcile takes before migrating, see perItem.ts) at the same injected latency per request,
 * `BENCH_LATENCY_MS` (default 50 ms, as the preview bench: a real API is never 0 ms away); the add-on
 * provisioning delay is the simulator's (`HEROKU_SIM_PROVISION_DELAY_MS`, 50 ms here unless set).
 * Run: `npx tsx bench/economy.ts` (uses DATABASE_URL, else starts an embedded Postgres).
 */
import { configVars, makeFixture } from "./fixture.ts"
import { describe as describePairs, interleave as interleavePairs } from "./interleave.ts"
import { firstDeploy, readAll, setEach } from "./perItem.ts"
import { counted, startBenchSim } from "./sim.ts"
import { type BenchResult, median, printResult, startServer } from "./support.ts"

const changed = (n: number, round: string) =>
  Object.fromEntries(
    Object.keys(configVars())
      .slice(0, n)
      .map((k) => [k, `${k}-${round}`]),
  )

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50)
const provisionDelayMs = Number(process.env.HEROKU_SIM_PROVISION_DELAY_MS ?? 50)
const limit = 1.5

const server = await startServer()
const fixture = makeFixture()
const bench = await startBenchSim(server.adminUrl, { provisionDelayMs })
try {
  const { sim } = bench
  const apply = (env: string) =>
    bench.run(fixture.manifests, env, false).then((r) => {
      if (r.summary?.converged !== true) throw new Error(`${env} did not converge: ${r.summary?.error}`)
      return r
    })
  fixture.write("ours", "bench-ours")
  const first = await counted(sim, () => apply("ours"))
  const noop = await counted(sim, () => apply("ours"))
  fixture.write("ours", "bench-ours", { vars: changed(10, "a") })
  const ten = await counted(sim, () => apply("ours"))

  const firstBase = await counted(sim, () => firstDeploy(sim.url, "bench-base", fixture))
  const noopBase = await counted(sim, () => readAll(sim.url, "bench-base"))
  const tenBase = await counted(sim, async () => {
    await readAll(sim.url, "bench-base")
    await setEach(sim.url, "bench-base", changed(10, "a"))
  })
  // the first deploy's wall time: fresh apps each run, reconcile and per-item alternating
  sim.setFaults({ latencyMs })
  const deploy = await interleavePairs({
    subject: (i) => {
      fixture.write(`pair-${i}`, `bench-pair-ours-${i + 1}`)
      return apply(`pair-${i}`)
    },
    baseline: (i) => firstDeploy(sim.url, `bench-pair-base-${i + 1}`, fixture),
  })
  sim.setFaults({})
  const row = (label: string, ours: { requests: number; releases: number }, base: typeof ours) =>
    `${label}: reconcile ${ours.requests} requests, ${ours.releases} release(s); per-item ${base.requests} requests, ${base.releases} release(s); ratio ${(base.requests / ours.requests).toFixed(1)}× fewer requests`
  const result: BenchResult = {
    name: "Apply economy",
    lines: [
      row("no-op", noop, noopBase),
      row("10 config changes", ten, tenBase),
      row("full first deploy", first, firstBase),
      `full first deploy wall time (${latencyMs} ms injected latency, ${provisionDelayMs} ms add-on provisioning): reconcile median ${(median(deploy.subjectMs) / 1000).toFixed(1)} s, per-item median ${(median(deploy.baselineMs) / 1000).toFixed(1)} s; ratio reconcile / per-item ${describePairs(deploy)}`,
    ],
    targets: [
      {
        target: "no-op sends ≤ 6 requests and creates 0 releases",
        figure: `${noop.requests} requests, ${noop.releases} releases`,
        met: noop.requests <= 6 && noop.releases === 0,
      },
      {
        target: "10 config changes create 1 release",
        figure: `${ten.releases} release(s) (per-item: ${tenBase.releases})`,
        met: ten.releases === 1,
      },
      {
        target: `first deploy within ${limit}× the per-item steps (${latencyMs} ms injected latency)`,
        figure: describePairs(deploy),
        met: deploy.ratio <= limit,
        noisy: deploy.noisy,
      },
    ],
  }
  printResult(result)
} catch (e) {
  console.error(e)
  process.exitCode = 1
} finally {
  await bench.close()
  fixture.remove()
  await server.close()
}
