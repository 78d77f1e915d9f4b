/**
 * A build is followed on its output stream, which Heroku (and the simulator) closes when the build
 * ends: the build is read once it is done, not polled while it runs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Layer from "effect/Layer"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { RunState } from "../../engine/plugin/RunState.ts"
import { releasePlugin } from "../../plugins/release/plugin.ts"
import type { Simulator } from "../../sim/index.ts"
import { reconcile } from "../support/engine.ts"
import { herokuLayer, simToken, startSim } from "../support/heroku.ts"
import { herokuClient } from "../support/simClient.ts"
import { appStub } from "./support.ts"

const app = "build-follow"
let sim: Simulator
let root: string

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "build-follow-"))
  const source = join(root, "source")
  mkdirSync(source)
  // the build script takes a while, so a polling client would ask for the build several times
  const slow = 'node -e \\"setTimeout(() => {}, 1500)\\"'
  writeFileSync(
    join(source, "package.json"),
    `{ "name": "bf", "private": true, "scripts": { "build": "${slow}" } }\n`,
  )
  writeFileSync(join(source, "Procfile"), "web: node server.js\n")
  writeFileSync(join(source, "server.js"), "\n")
  mkdirSync(join(root, "manifests"))
  writeFileSync(
    join(root, "manifests", "test.yaml"),
    `apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: test }\nspec:\n  app: { name: ${app} }\n  release:\n    source: { dir: ${JSON.stringify(source)}, include: [package.json, Procfile, server.js] }\n`,
  )
  sim = await startSim({
    dynoRunner: {
      apply: async () => {},
      remove: async () => {},
      close: async () => {},
      webUrl: () => "http://127.0.0.1:9/",
    },
  })
  const created = await herokuClient(sim.url, simToken).call("POST", "/apps", { body: { name: app } })
  expect(created.status).toBe(201)
})

afterAll(async () => {
  await sim?.close()
  if (root !== undefined) rmSync(root, { recursive: true, force: true })
})

describe("following a build", () => {
  it("reads the build once it has ended, however long it ran", async () => {
    sim.resetObservations()
    const { summary } = await reconcile({
      plugins: [appStub, releasePlugin],
      dir: join(root, "manifests"),
      env: "test",
      layer: Layer.merge(herokuLayer(sim), RunState.layer),
    })
    expect(summary?.converged, JSON.stringify(summary?.results)).toBe(true)
    const log = sim.requestLog().map((e) => `${e.method} ${e.path}`)
    const buildReads = log.filter((l) => /^GET \/apps\/build-follow\/builds\/[0-9a-f-]{36}$/.test(l))
    expect(log.filter((l) => l === "POST /apps/build-follow/builds")).toHaveLength(1)
    // one read, or two should the build outlast one wait on the stream (20 s) on a loaded machine
    expect(buildReads.length).toBeGreaterThanOrEqual(1)
    expect(buildReads.length).toBeLessThanOrEqual(2)
  })
})
