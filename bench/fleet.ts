/**
 * Fleet drift: dry-runs of 100 environments (one app each, in one simulator, 50 ms per request and
 * Heroku's real rate budget) run in-process with concurrency 16. The manifest is the production one
 * without its database section (100 provisioned databases are out of scope); each app is seeded
 * with its app, buildpacks and config vars, some drifted. Baseline: the same 100 dry-runs one at a time.
 * Run: `npx tsx bench/fleet.ts` (no database needed).
 */
import { configVars, makeFixture } from "./fixture.ts"
import { call } from "./perItem.ts"
import { startBenchSim } from "./sim.ts"
import { printResult, time } from "./support.ts"

const N = Number(process.env.BENCH_FLEET ?? 100)
const concurrency = 16
const latencyMs = 50

const pool = async (items: ReadonlyArray<number>, width: number, f: (i: number) => Promise<void>) => {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await f(items[next++]!)
    }),
  )
}

const fixture = makeFixture()
const bench = await startBenchSim("postgres://unused@127.0.0.1:1/unused", {
  rateLimit: { capacity: 4500, refillPerMinute: 75 },
})
try {
  const { sim } = bench
  const envs = Array.from({ length: N }, (_, i) => i)
  const name = (i: number) => `fleet-${String(i).padStart(3, "0")}`
  await pool(envs, 16, async (i) => {
    fixture.write(name(i), name(i), { noDatabase: true })
    await call(sim.url, "POST", "/apps", { name: name(i), region: "us", stack: "heroku-24" })
    await call(sim.url, "PUT", `/apps/${name(i)}/buildpack-installations`, {
      updates: [{ buildpack: "heroku/nodejs" }],
    })
    await call(sim.url, "PATCH", `/apps/${name(i)}/config-vars`, { ...configVars(), VAR_01: `drift-${i}` })
  })
  sim.setFaults({ latencyMs })
  const dryRun = (i: number) =>
    bench.run(fixture.manifests, name(i), true).then((r) => {
      if (r.plan.steps.length === 0) throw new Error(`${name(i)}: expected drift`)
    })
  sim.resetObservations()
  const fleetMs = await time(() => pool(envs, concurrency, dryRun))
  const log = sim.requestLog()
  const limited = log.filter((e) => e.status === 429).length
  const sample = envs.slice(0, 5)
  sim.resetObservations()
  const oneMs = (await time(() => pool(sample, 1, dryRun))) / sample.length
  const { body } = await call(sim.url, "GET", "/account/rate-limits")
  const remaining = (body as { remaining: number }).remaining
  printResult({
    name: "Fleet drift",
    lines: [
      `${N} environment dry-runs, concurrency ${concurrency}, ${latencyMs} ms per request: ${(fleetMs / 1000).toFixed(1)} s, ${(log.length / N).toFixed(1)} requests per environment, ${limited} answered 429 (rate budget 4500, refill 75/min; ${remaining} left)`,
      `one at a time (baseline, ${sample.length} environments measured): ${oneMs.toFixed(0)} ms each, ${((oneMs * N) / 1000).toFixed(1)} s for ${N} extrapolated; ratio ${((oneMs * N) / fleetMs).toFixed(1)}× faster with concurrency ${concurrency}`,
      "run in-process (the engine's session, observe and plan, as test/support/engine.ts), not by spawning the CLI",
    ],
    targets: [
      {
        target: `${N} environments in ≤ 10 s with concurrency ${concurrency}, no 429`,
        figure: `${(fleetMs / 1000).toFixed(1)} s, ${limited} × 429`,
        met: fleetMs <= 10_000 && limited === 0,
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
