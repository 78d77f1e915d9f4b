/** The page escapes everything it shows, and the static report carries no script. */
import { expect, test } from "vitest"
import { ResourceHealth } from "../engine/plan/Health.ts"
import { uncheckedView } from "./check.ts"
import { renderPage } from "./html.ts"

const overview = {
  kind: "overview" as const,
  generatedAt: "2026-12-01T10:00:00.000Z",
  envs: [
    {
      ...uncheckedView("staging"),
      status: "error" as const,
      error: 'GET /apps/x: 500 <script>alert("x")</script>',
      checkedAt: "2026-12-01T10:00:00.000Z",
    },
    {
      ...uncheckedView("production"),
      status: "drifted" as const,
      changes: 1,
      plan: '~ config/A: "<b>" → "&"',
    },
    {
      ...uncheckedView("local"),
      status: "in-sync" as const,
      health: [
        new ResourceHealth({
          resource: "addons/DATABASE",
          plugin: "addons",
          state: "healthy",
          detail: "provisioned",
        }),
        new ResourceHealth({
          resource: "dynos/web",
          plugin: "health",
          state: "unhealthy",
          detail: "1 crashed of 1",
          facts: { crashed: 1 },
        }),
      ],
    },
  ],
  budget: { perHour: 1000, remaining: 990, spent: 10, herokuRemaining: 4400 },
  refreshing: false,
  intervalSeconds: 300,
}

test("every value is escaped; rows carry their status; the report has no script", () => {
  const live = renderPage(overview, true)
  expect(live).not.toContain('<script>alert("x")')
  expect(live).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
  expect(live).toContain("~ config/A: &quot;&lt;b&gt;&quot; → &quot;&amp;&quot;")
  expect(live).toContain('<tr data-env="production" data-status="drifted">')
  expect(live).toContain("drifted (1 change)")
  expect(live).toContain(
    "Heroku rate budget: 990 of 1000 requests an hour left (10 used); Heroku reports 4400",
  )
  expect(live).toContain('<button id="refresh">')
  const report = renderPage(overview, false)
  expect(report).not.toMatch(/<script|<button/)
})

test("a crashed dyno shows as unhealthy in the row and in the environment's health table", () => {
  const page = renderPage(overview, true)
  expect(page).toMatch(
    /<tr data-env="local" data-status="in-sync">.*?<td class="h-unhealthy" data-health="unhealthy">unhealthy: dynos\/web \(1 crashed of 1\)<\/td>/,
  )
  expect(page).toContain('<tr data-resource="dynos/web" data-state="unhealthy">')
  expect(page).toContain('<tr data-resource="addons/DATABASE" data-state="healthy">')
  // an environment without reported health says nothing about it
  expect(page).toMatch(
    /<tr data-env="production" data-status="drifted">.*?<td class="h-none" data-health="none">-<\/td>/,
  )
})
