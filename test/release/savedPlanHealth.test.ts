/**
 * A saved plan's live fingerprint covers state, not health readings: a dyno going starting → up,
 * or the health URL answering differently, between `--out` and `apply FILE` must not make the
 * plan stale; a changed formation still must.
 */
import { describe, expect, it } from "vitest"
import { stateFingerprint } from "../../engine/plan/planner.ts"
import { formationPlugin } from "../../plugins/formation/plugin.ts"
import { healthPlugin } from "../../plugins/health/plugin.ts"

const spec = { app: { name: "fp-app" }, health: { path: "/health" } }
const desired = { path: "/health" }

const healthLive = (state: string, status: number) => ({
  url: "https://fp-app.example/health",
  probe: { status, digest: null, release: "v7" },
  expectStatus: 200,
  expectDigest: null,
  expectRelease: null,
  resources: { dynos: { _tag: "Read", value: [{ name: "web.1", type: "web", state }] } },
})
const formationLive = (quantity: number) => ({
  app: "fp-app",
  appExists: true,
  processes: { web: { quantity, size: "basic" } },
})

const fingerprint = (state: string, status: number, quantity = 1) =>
  stateFingerprint(
    spec,
    [
      { plugin: formationPlugin, desired: {}, live: formationLive(quantity) },
      { plugin: healthPlugin, desired, live: healthLive(state, status) },
    ],
    "a-fixed-nonce",
  )

describe("saved plan fingerprint", () => {
  it("ignores health readings: a dyno starting → up, the health URL's answer", () => {
    expect(fingerprint("up", 200)).toBe(fingerprint("starting", 200))
    expect(fingerprint("up", 200)).toBe(fingerprint("crashed", 503))
  })

  it("still covers state: a changed formation makes a different fingerprint", () => {
    expect(fingerprint("up", 200, 2)).not.toBe(fingerprint("up", 200, 1))
  })
})
