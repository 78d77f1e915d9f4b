/**
 * Who may use the dashboard, and the static report: binding beyond loopback needs --token; with a
 * token every request needs it (traded once for a same-site cookie); a loopback dashboard answers
 * only loopback Host names (DNS rebinding); a refresh needs a header no cross-site form can send.
 * `report --all --html FILE` writes the overview as one self-contained file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, expect, test } from "vitest"
import type { Simulator } from "../sim/index.ts"
import { runCliAsync } from "./support/cli.ts"
import { startDashboard } from "./support/dashboard.ts"
import { simToken, startSim } from "./support/heroku.ts"

const dir = mkdtempSync(join(tmpdir(), "reconcile-access-"))
const token = "dashboard-token-0123456789abcdef"
let sim: Simulator

beforeAll(async () => {
  sim = await startSim()
  for (const env of ["staging", "production"])
    writeFileSync(
      join(dir, `${env}.yaml`),
      `apiVersion: reconcile/v1
kind: Release
metadata: { name: ${env} }
spec:
  app: { name: access-${env}, region: us, stack: heroku-24 }
  config: { vars: { LOG_LEVEL: info } }
`,
    )
})

afterAll(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

const env = () => ({ HEROKU_API_URL: sim.url, HEROKU_DATA_API_URL: sim.url, HEROKU_API_KEY: simToken })

/** A raw request, so the Host header can be anything. */
const get = (url: string, headers: Record<string, string> = {}, method = "GET") =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((ok, fail) => {
    const req = request(url, { method, headers }, (res) => {
      let body = ""
      res.on("data", (d: Buffer) => {
        body += d.toString()
      })
      res.on("end", () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on("error", fail)
    req.end()
  })

test("binding beyond loopback without --token is refused", async () => {
  const r = await runCliAsync(["dashboard", "--manifests", dir, "--host", "0.0.0.0", "--port", "0"], {
    env: env(),
  })
  expect(r.code).toBe(1)
  expect(r.stderr).toContain("--host 0.0.0.0 is reachable from other machines: give --token TOKEN as well")
})

test("with a token, every request needs it; loopback Host names only; refresh needs its header", async () => {
  const dashboard = await startDashboard(
    ["--manifests", dir, "--port", "0", "--interval", "0", "--token", token],
    env(),
  )
  try {
    expect((await get(dashboard.url)).status).toBe(401)
    expect((await get(new URL(`?token=wrong-${token}`, dashboard.url).toString())).status).toBe(401)
    const traded = await get(new URL(`?token=${token}`, dashboard.url).toString())
    expect(traded.status).toBe(302)
    expect(traded.headers.location).toBe("/")
    const cookie = String(traded.headers["set-cookie"]).split(";")[0] ?? ""
    expect(String(traded.headers["set-cookie"])).toMatch(/HttpOnly/i)
    const page = await get(dashboard.url, { cookie })
    expect(page.status).toBe(200)
    expect(page.body).toContain('data-env="staging"')
    expect((await get(dashboard.url, { authorization: `Bearer ${token}` })).status).toBe(200)
    const port = new URL(dashboard.url).port
    expect((await get(dashboard.url, { cookie, host: `evil.example:${port}` })).status).toBe(421)
    expect((await get(new URL("refresh", dashboard.url).toString(), { cookie }, "POST")).status).toBe(403)
    expect(dashboard.output()).not.toContain(token)
  } finally {
    await dashboard.stop()
  }
}, 60_000)

test("report --all --html writes the overview as one self-contained file", async () => {
  const file = join(dir, "report.html")
  const r = await runCliAsync(["report", "--all", "--html", file, "--manifests", dir], { env: env() })
  expect(r.code, r.stderr).toBe(0)
  expect(r.stdout).toContain(`wrote ${file}: 2 environment(s), 0 in sync, 2 drifted, 0 with errors`)
  expect(existsSync(file)).toBe(true)
  const html = readFileSync(file, "utf8")
  expect(html).toMatch(/<tr data-env="production" data-status="drifted">/)
  expect(html).toContain('id="env-staging"')
  expect(html).toContain("config/LOG_LEVEL")
  expect(html).not.toMatch(/<script|<link|src=/)

  const without = await runCliAsync(["report", "--html", file, "--manifests", dir], { env: env() })
  expect(without.code).toBe(1)
  expect(without.stderr).toContain("report needs --all")
}, 60_000)
