/**
 * The GitHub reporter wired into the bundled CLI: two dry-runs of one PR leave one plan comment,
 * the job summary is appended, and the secret never reaches GitHub.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { runCliAsync } from "../support/cli.ts"
import { type FakeGitHub, startFakeGitHub } from "../support/fakeGitHub.ts"

const canary = "canary-gh-cli-5e1d0b"
let gh: FakeGitHub
let dir = ""

beforeAll(async () => {
  gh = await startFakeGitHub()
  dir = mkdtempSync(join(tmpdir(), "reconcile-gh-cli-"))
  mkdirSync(join(dir, "manifests"))
  writeFileSync(
    join(dir, "manifests", "staging.yaml"),
    "apiVersion: reconcile/v1\nkind: Release\nmetadata: { name: staging }\n" +
      "spec:\n  fake:\n    values:\n      GREETING: hello\n      TOKEN: { fromEnv: TOKEN }\n",
  )
})
afterAll(() => gh.close())

describe("reconcile --report github-pr-comment", () => {
  it("keeps one comment per PR and appends the job summary", async () => {
    const pr = gh.addPullRequest()
    const summary = join(dir, "step-summary.md")
    const env = {
      TOKEN: canary,
      GITHUB_API_URL: gh.url,
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      RECONCILE_PR_NUMBER: String(pr),
      GITHUB_STEP_SUMMARY: summary,
    }
    for (let i = 0; i < 2; i++) {
      const r = await runCliAsync(["--env", "staging", "--dry-run", "--report", "github-pr-comment"], {
        cwd: dir,
        env,
      })
      expect(r.code).toBe(0)
      expect(r.stderr).not.toContain("note:")
    }
    const comments = gh.comments.filter((c) => c.issue === pr)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toContain("fake/GREETING")
    expect(readFileSync(summary, "utf8")).toContain("fake/TOKEN")
    for (const req of gh.requests) expect(JSON.stringify(req)).not.toContain(canary)
  })
})
