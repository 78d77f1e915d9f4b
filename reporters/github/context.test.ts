import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { missingForApi, readContext } from "./context.ts"

describe("readContext", () => {
  it("reads what Actions sets: API URL, repository, run URL, PR number from the event", () => {
    const event = join(tmpdir(), `gh-event-${process.pid}.json`)
    writeFileSync(event, JSON.stringify({ pull_request: { number: 17 } }))
    const ctx = readContext({
      GITHUB_API_URL: "https://ghe.example/api/v3/",
      GITHUB_TOKEN: "t",
      GITHUB_REPOSITORY: "acme/app",
      GITHUB_SERVER_URL: "https://ghe.example",
      GITHUB_RUN_ID: "9",
      GITHUB_EVENT_PATH: event,
      RECONCILE_PR_NUMBER: "3",
    })
    expect(ctx).toMatchObject({
      apiUrl: "https://ghe.example/api/v3",
      repository: { owner: "acme", repo: "app" },
      runUrl: "https://ghe.example/acme/app/actions/runs/9",
      prNumber: 17,
      actions: false,
    })
    expect(missingForApi(ctx)).toBeUndefined()
  })

  it("falls back to RECONCILE_PR_NUMBER and public GitHub; reports what is missing", () => {
    const ctx = readContext({ RECONCILE_PR_NUMBER: "3", GITHUB_EVENT_PATH: "/nonexistent.json" })
    expect(ctx).toMatchObject({ apiUrl: "https://api.github.com", prNumber: 3, runUrl: undefined })
    expect(missingForApi(ctx)).toBe("GITHUB_TOKEN is not set")
    expect(missingForApi(readContext({ GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "nope" }))).toMatch(
      /GITHUB_REPOSITORY/,
    )
    expect(readContext({ RECONCILE_PR_NUMBER: "x1" }).prNumber).toBeUndefined()
  })
})
