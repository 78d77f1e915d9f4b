/**
 * Started as root with its state behind a private (0700) folder, as `reconcile sim --state` and
 * `--env local` lay it out, the simulator still runs dynos as `nobody`: the slugs move to a folder that
 * user can traverse (never list) and dynos start in the slug's real path.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import { buildDir } from "../test/support/build.ts"
import { postgresAdminUrl } from "../test/support/postgres.ts"
import { type HerokuClient, herokuClient, waitFor } from "../test/support/simClient.ts"
import { type Simulator, startSimulator } from "./index.ts"

const root = process.getuid?.() === 0
let sim: Simulator
let api: HerokuClient
let privateDir: string

beforeAll(async () => {
  if (!root) return
  privateDir = mkdtempSync(join(tmpdir(), "sim-private-"))
  expect(statSync(privateDir).mode & 0o777).toBe(0o700)
  sim = await startSimulator({
    tokens: ["private"],
    dataDir: join(privateDir, "data"),
    postgres: { adminUrl: postgresAdminUrl() },
    dynos: { graceMs: 300 },
  })
  api = herokuClient(sim.url, "private")
})
afterAll(async () => {
  await sim?.close()
  if (privateDir !== undefined) rmSync(privateDir, { recursive: true, force: true })
})

test.skipIf(!root)("dynos run as nobody even when the state sits in a private folder", async () => {
  const app = mkdtempSync(join(tmpdir(), "whoami-"))
  writeFileSync(join(app, "package.json"), '{"name":"whoami","version":"1.0.0"}\n')
  writeFileSync(join(app, "Procfile"), "web: node server.js\n")
  writeFileSync(
    join(app, "server.js"),
    `require("http").createServer((q, r) => r.end(process.getuid() + " " + process.cwd())).listen(Number(process.env.PORT))\n`,
  )
  expect((await api.call("POST", "/apps", { body: { name: "whoami" } })).status).toBe(201)
  const build = await buildDir(api, "whoami", app)
  rmSync(app, { recursive: true, force: true })
  expect(build.status, build.output).toBe("succeeded")
  const url = String(((await api.call("GET", "/apps/whoami")).body as { web_url: string }).web_url)
  const body = await waitFor(async () => {
    const res = await fetch(url).catch(() => undefined)
    return res?.status === 200 ? res.text() : undefined
  }, 20_000)
  const [uid, cwd] = body.split(" ")
  expect(uid).toBe("65534")
  expect(cwd?.startsWith("/var/tmp/reconcile-dynos/")).toBe(true)
})
