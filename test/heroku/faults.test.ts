/**
 * Apply under injected faults (5xx, 429 bursts, and commits whose answer is lost), 20 seeds: every
 * run converges, never duplicates an add-on, and makes exactly the releases of a fault-free run.
 */
import { describe, expect, it } from "vitest"
import type { FaultConfig, Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { herokuLayer, startSim } from "../support/heroku.ts"
import { deploySample, herokuPlugins } from "./support.ts"

const dir = "test/fixtures/heroku/faults"
const app = "nails-faults"

const faults: FaultConfig = {
  errors: [{ rate: 0.08, status: 503 }],
  rateLimitBursts: { rate: 0.02, length: 2 },
  commitThenDrop: [
    { route: "POST /**", rate: 0.4 },
    { route: "PATCH /**", rate: 0.4 },
    { route: "PUT /**", rate: 0.4 },
  ],
}

interface Outcome {
  readonly converged: ReadonlyArray<boolean>
  readonly releases: number
  readonly addons: number
  readonly faultsSeen: number
  /** Add-on creates the server committed but whose answer it dropped. */
  readonly lostAddonCreates: number
}

const apply = (sim: Simulator, env: string) =>
  reconcile({ plugins: herokuPlugins, dir, env, layer: herokuLayer(sim), secrets: { JWT_SECRET: "s3cret" } })

/** Creates the app from nothing (base), deploys the sample fault-free, then converges the full manifest. */
const scenario = async (seed: number | undefined): Promise<Outcome> => {
  const sim = await startSim({ provisionDelayMs: 30, onError: () => {} })
  try {
    const inject = (offset: number) => {
      if (seed !== undefined) sim.setFaults(faults, seed * 7919 + offset)
    }
    inject(0)
    const base = await apply(sim, "base")
    sim.setFaults({})
    await deploySample(sim, app)
    inject(1)
    const full = await apply(sim, "full")
    sim.setFaults({})
    const state = sim.state()
    const appId = state.apps.find((a) => a.name === app)?.id
    return {
      converged: [base.summary?.converged ?? false, full.summary?.converged ?? false],
      releases: sim.counters().releasesByApp[app] ?? 0,
      addons: state.addons.filter((a) => a.appId === appId).length,
      faultsSeen: sim.requestLog().filter((e) => e.fault !== null).length,
      lostAddonCreates: sim
        .requestLog()
        .filter((e) => e.fault === "commit_then_drop" && e.method === "POST" && e.path.endsWith("/addons"))
        .length,
    }
  } finally {
    await sim.close()
  }
}

describe("apply under faults", () => {
  it("converges for 20 seeds with no duplicate add-on and the fault-free number of releases", async () => {
    const clean = await scenario(undefined)
    expect(clean).toMatchObject({ converged: [true, true], addons: 2, faultsSeen: 0 })
    expect(clean.releases).toBe(5) // initial, attach REDIS, attach PAPERTRAIL, config, deploy
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1)
    // The runs wait on retry backoff and polling, not CPU: run them all at once.
    const outcomes = await Promise.all(
      seeds.map(async (s) => {
        return [s, await scenario(s)] as const
      }),
    )
    for (const [seed, o] of outcomes) {
      expect({ seed, converged: o.converged, releases: o.releases, addons: o.addons }).toEqual({
        seed,
        converged: [true, true],
        releases: clean.releases,
        addons: 2,
      })
    }
    const total = (f: (o: Outcome) => number) => outcomes.reduce((n, [, o]) => n + f(o), 0)
    expect(total((o) => o.faultsSeen)).toBeGreaterThan(60)
    expect(total((o) => o.lostAddonCreates)).toBeGreaterThan(3)
  }, 180_000)
})
