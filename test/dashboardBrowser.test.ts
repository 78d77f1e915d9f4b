/**
 * The dashboard in a real headless Chromium (Debian's `chromium`, driven by puppeteer-core; no
 * browser download): it lists local, staging and production; after a config var is changed by hand
 * on staging, the refresh button shows staging drifted and its plan names the var; the page never
 * holds a secret value (canary); a screenshot is saved to .cache/screenshots/ (gitignored).
 * Without chromium the test is skipped loudly: a warning and a skipped test that names the reason.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import puppeteer from "puppeteer-core"
import { afterAll, beforeAll, expect, test } from "vitest"
import type { Simulator } from "../sim/index.ts"
import { runCliAsync } from "./support/cli.ts"
import { startDashboard } from "./support/dashboard.ts"
import { simToken, startSim } from "./support/heroku.ts"

const chromium = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => p !== undefined && p !== "" && existsSync(p),
)
const canary = "canary-dashboard-secret-51c2d8"
const handCanary = "canary-by-hand-secret-9e04aa"
const screenshot = resolve(".cache/screenshots/dashboard.png")
const dir = mkdtempSync(join(tmpdir(), "reconcile-dashboard-"))
let sim: Simulator

const manifest = (env: string, extra = "") => `apiVersion: reconcile/v1
kind: Release
metadata: { name: ${env} }
spec:
${extra}  app: { name: nails-dash-${env}, region: us, stack: heroku-24 }
  addons:
    - { plan: "heroku-postgresql:essential-0", as: DATABASE }
  config:
    vars: { LOG_LEVEL: info, JWT_SECRET: { fromEnv: JWT_SECRET } }
    required: [DATABASE_URL]
  database:
    url: { fromConfigVar: DATABASE_URL }
    backup: { provider: none }
`

const env = () => ({
  HEROKU_API_URL: sim.url,
  HEROKU_DATA_API_URL: sim.url,
  HEROKU_API_KEY: simToken,
  JWT_SECRET: canary,
})

beforeAll(async () => {
  if (chromium === undefined) return
  sim = await startSim()
  writeFileSync(join(dir, "staging.yaml"), manifest("staging"))
  writeFileSync(join(dir, "production.yaml"), manifest("production"))
  writeFileSync(
    join(dir, "local.yaml"),
    manifest("local", `  simulator: { stateDir: ${join(dir, "local-state")} }\n`).replace(
      "JWT_SECRET: { fromEnv: JWT_SECRET }",
      "JWT_SECRET: local-only",
    ),
  )
  for (const name of ["staging", "production"]) {
    const applied = await runCliAsync(["--env", name, "--manifests", dir], { env: env() })
    if (applied.code !== 0) throw new Error(`${name} did not apply:\n${applied.stdout}\n${applied.stderr}`)
  }
}, 180_000)

afterAll(async () => {
  await sim?.close()
  rmSync(dir, { recursive: true, force: true })
})

if (chromium === undefined) {
  console.warn(
    "SKIPPED test/dashboardBrowser.test.ts: no chromium executable (install Debian's: apt-get install -y chromium, or set CHROMIUM_PATH)",
  )
  test.skip("dashboard in headless Chromium: SKIPPED because no chromium executable was found (apt-get install -y chromium)", () => {})
} else {
  test("the dashboard lists every environment, shows staging drifted after a change by hand, and holds no secret", async () => {
    const dashboard = await startDashboard(["--manifests", dir, "--port", "0", "--interval", "0"], env())
    const browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    })
    try {
      const page = await browser.newPage()
      await page.goto(dashboard.url)
      const rows = await page.$$eval("tr[data-env]", (trs) => trs.map((tr) => tr.getAttribute("data-env")))
      expect(rows).toEqual(["local", "production", "staging"])

      const refresh = async () => {
        await Promise.all([page.waitForNavigation({ timeout: 120_000 }), page.click("#refresh")])
      }
      await refresh()
      const status = (env: string) =>
        page.$eval(`tr[data-env="${env}"]`, (tr) => tr.getAttribute("data-status"))
      expect(await status("staging")).toBe("in-sync")
      expect(await status("production")).toBe("in-sync")
      expect(await status("local")).toBe("drifted")

      // by hand, as someone with `heroku config:set` would
      const patched = await fetch(`${sim.url}/apps/nails-dash-staging/config-vars`, {
        method: "PATCH",
        headers: {
          Accept: "application/vnd.heroku+json; version=3",
          Authorization: `Bearer ${simToken}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ LOG_LEVEL: "debug-by-hand", JWT_SECRET: handCanary }),
      })
      expect(patched.status).toBe(200)
      await refresh()
      expect(await status("staging")).toBe("drifted")
      expect(await page.$eval('tr[data-env="staging"]', (tr) => tr.textContent)).toMatch(
        /drifted \(2 changes\)/,
      )

      await page.click('a[href="#env-staging"]')
      const shown = await page.$("#env-staging pre.plan")
      expect(await shown?.isVisible()).toBe(true)
      const plan = await page.$eval("#env-staging pre.plan", (pre) => pre.textContent ?? "")
      expect(plan).toContain("LOG_LEVEL")
      expect(plan).toContain("debug-by-hand")
      expect(plan).toContain("JWT_SECRET")

      const html = await page.content()
      const json = await (await fetch(new URL("overview.json", dashboard.url))).text()
      for (const text of [html, json, dashboard.output()]) {
        expect(text).not.toContain(canary)
        expect(text).not.toContain(handCanary)
        expect(text).not.toContain("local-only")
      }
      mkdirSync(resolve(".cache/screenshots"), { recursive: true })
      await page.screenshot({ path: screenshot, fullPage: true })
      expect(existsSync(screenshot)).toBe(true)
    } finally {
      await browser.close()
      await dashboard.stop()
    }
  }, 240_000)
}
