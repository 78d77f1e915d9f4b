/**
 * Rollback through the plan and verified releases (issue 14), with the bundled CLI against the real
 * simulator: a tiny app whose /health reports its label and the release it runs. A preview writes
 * nothing; a rollback is applied and verified, after which the manifest shows drift; a slugless
 * target is refused; a release whose web process exits at start never converges.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import type { Simulator } from "../../sim/index.ts"
import { runCliAsync } from "../support/cli.ts"
import { simToken, startSim } from "../support/heroku.ts"
import { herokuClient } from "../support/simClient.ts"

const app = "tiny-rollback"
const root = mkdtempSync(join(tmpdir(), "rollback-cli-"))
const src = join(root, "src")
let sim: Simulator

const manifest = (onFailure?: string) => `apiVersion: reconcile/v1
kind: Release
metadata: { name: t }
spec:
  app: { name: ${app} }
  release:
    source: { dir: ${src}, include: [Procfile, server.mjs, mode.json] }${onFailure === undefined ? "" : `\n    onFailure: ${onFailure}`}
  health: { path: /health, expect: { status: 200, release: true }, timeout: 6s }
  policy: { retries: 1 }
`

const cli = (...args: ReadonlyArray<string>) =>
  runCliAsync([...args, "--manifests", root], {
    env: {
      HEROKU_API_URL: sim.url,
      HEROKU_DATA_API_URL: sim.url,
      HEROKU_API_KEY: simToken,
      RECONCILE_QUIET: "1",
    },
  })
const shown = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`

const ofApp = () => {
  const id = sim.state().apps.find((a) => a.name === app)?.id
  return sim.state().releases.filter((r) => r.appId === id)
}
const current = () =>
  ofApp()
    .filter((r) => r.status === "succeeded")
    .at(-1)
const webUrl = async () =>
  String(
    ((await herokuClient(sim.url, simToken).call("GET", `/apps/${app}`)).body as { web_url: string }).web_url,
  )
const served = async () => {
  const res = await fetch(new URL("/health", await webUrl())).catch(() => undefined)
  return res?.status === 200 ? ((await res.json()) as { label: string; release: string }) : undefined
}

const release = async (mode: object, onFailure?: string) => {
  writeFileSync(join(src, "mode.json"), JSON.stringify(mode))
  writeFileSync(join(root, "t.yaml"), manifest(onFailure))
  return cli("--env", "t")
}

beforeAll(async () => {
  cpSync(resolve(import.meta.dirname, "../fixtures/release/tiny"), src, { recursive: true })
  sim = await startSim({ dynos: { graceMs: 500 } })
  const api = herokuClient(sim.url, simToken)
  expect((await api.call("POST", "/apps", { body: { name: app } })).status).toBe(201)
  // the app reports HEROKU_RELEASE_VERSION only with this feature on, as on Heroku
  const feature = await api.call("PATCH", `/apps/${app}/features/runtime-dyno-metadata`, {
    body: { enabled: true },
  })
  expect(feature.status).toBe(200)
})

afterAll(async () => {
  await sim?.close()
  rmSync(root, { recursive: true, force: true })
})

describe.sequential("reconcile rollback (bundled CLI)", () => {
  test("a preview writes nothing; the rollback applies, is verified, and the manifest then shows drift", async () => {
    for (const label of ["one", "two"]) {
      const r = await release({ label })
      expect(r.code, shown(r)).toBe(0)
      expect(r.stdout).toContain("Converged.")
    }
    expect((await served())?.label).toBe("two")
    const count = ofApp().length
    const before = current()?.version
    const preview = await cli("rollback", "--env", "t", "--dry-run")
    expect(preview.code, shown(preview)).toBe(0)
    expect(preview.stdout).toContain("release/rollback")
    expect(preview.stdout).toContain(`roll ${app} back from v${before}`)
    // the target release's config is read and compared by key: both releases had the same vars
    expect(preview.stdout).toContain("config vars: no change")
    expect(ofApp()).toHaveLength(count)
    expect(current()?.version).toBe(before)

    const rolled = await cli("rollback", "--env", "t", "--output", "json")
    expect(rolled.code, shown(rolled)).toBe(0)
    const summary = JSON.parse(rolled.stdout) as {
      converged: boolean
      outputs: Record<string, string>
      results: Array<{ address: string; status: string; message?: string }>
    }
    expect(summary.converged).toBe(true)
    expect(summary.results.find((r) => r.address === "release/rollback")?.message).toMatch(
      /rolled tiny-rollback back from v\d+ to v\d+'s slug and config/,
    )
    const now = current()
    expect(now?.version).toBeGreaterThan(before ?? 0)
    expect(summary.outputs.release).toBe(`v${now?.version}`)
    // the health wave verified it: the release answering is the one the rollback made current
    expect(await served()).toEqual({ ok: true, label: "one", release: `v${now?.version}` })

    const drift = await cli("--env", "t", "--dry-run", "--detailed-exitcode")
    expect(drift.code, shown(drift)).toBe(2)
    expect(drift.stdout).toContain("release/deploy")
  }, 90_000)

  test("--to a release without a slug is refused with the reason; nothing is written", async () => {
    const count = ofApp().length
    const refused = await cli("rollback", "--env", "t", "--to", "v1")
    expect(refused.code).toBe(1)
    expect(shown(refused)).toContain("v1 has no slug")
    expect(ofApp()).toHaveLength(count)
    const bad = await cli("rollback", "--env", "t", "--to", "latest")
    expect(bad.code).toBe(1)
    expect(shown(bad)).toContain("--to latest: expected a release version such as v12")
  }, 30_000)

  test("a release whose web process exits at start fails health and never converges", async () => {
    const r = await release({ label: "three", crash: true })
    expect(r.code, shown(r)).toBe(1)
    expect(r.stdout).not.toContain("Converged.")
    expect(r.stdout).toMatch(/not healthy within 6s .*HTTP 503/)
  }, 60_000)

  test("with release.onFailure: rollback, a crashing release is rolled back, verified and reported", async () => {
    const good = await release({ label: "good" }, "rollback")
    expect(good.code, shown(good)).toBe(0)
    const goodRelease = current()
    const bad = await release({ label: "bad", crash: true }, "rollback")
    expect(bad.code, shown(bad)).toBe(1)
    expect(bad.stdout).not.toContain("Converged.")
    expect(bad.stdout).toMatch(
      /health\/check failed; rolled back: rolled tiny-rollback back from v\d+ to v\d+'s slug and config/,
    )
    expect(bad.stdout).toContain("the previous release is current and healthy")
    const now = current()
    expect(now?.version).toBeGreaterThan(goodRelease?.version ?? 0)
    expect(now?.slugId).toBe(goodRelease?.slugId)
    expect(await served()).toEqual({ ok: true, label: "good", release: `v${now?.version}` })
  }, 90_000)
})
