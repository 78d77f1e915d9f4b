/**
 * Apply economy on the production-sized manifest: releases created and requests sent by reconcile
 * for (a) a no-op, (b) 10 config changes, (c) a full first deploy, against the per-item baseline
 * run for real on the same simulator (one `heroku config:set` = one PATCH = one release per var).
 * Run: `npx tsx bench/economy.ts` (uses DATABASE_URL, else starts an embedded Postgres).
 */
import { configVars, makeFixture } from "./fixture.ts"
import { firstDeploy, readAll, setEach } from "./perItem.ts"
import { counted, startBenchSim } from "./sim.ts"
import { type BenchResult, printResult, startServer } from "./support.ts"

const changed = (n: number, round: string) =>
  Object.fromEntries(
    Object.keys(configVars())
      .slice(0, n)
      .map((k) => [k, `${k}-${round}`]),
  )

const server = await startServer()
const fixture = makeFixture()
const bench = await startBenchSim(server.adminUrl)
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
  const row = (label: string, ours: { requests: number; releases: number }, base: typeof ours) =>
    `${label}: reconcile ${ours.requests} requests, ${ours.releases} release(s); per-item ${base.requests} requests, ${base.releases} release(s); ratio ${(base.requests / ours.requests).toFixed(1)}× fewer requests`
  const result: BenchResult = {
    name: "Apply economy",
    lines: [
      row("no-op", noop, noopBase),
      row("10 config changes", ten, tenBase),
      row("full first deploy", first, firstBase),
      `full first deploy wall time (no injected latency): reconcile ${(first.ms / 1000).toFixed(1)} s, per-item ${(firstBase.ms / 1000).toFixed(1)} s`,
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
