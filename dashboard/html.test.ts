/** The page escapes everything it shows, and the static report carries no script. */
import { expect, test } from "vitest"
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
