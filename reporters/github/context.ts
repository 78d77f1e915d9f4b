/**
 * What a GitHub report needs to know about the run, read from the environment GitHub Actions sets
 * (`GITHUB_API_URL`, `GITHUB_TOKEN`, `GITHUB_REPOSITORY`, `GITHUB_EVENT_PATH`, ...). Every piece is
 * optional: a report that lacks one becomes a note saying so, never a failure.
 */
import { readFileSync } from "node:fs"

/** Environment variables, as `process.env` holds them. */
export type GitHubEnv = Readonly<Record<string, string | undefined>>

export interface Repository {
  readonly owner: string
  readonly repo: string
}

export interface GitHubContext {
  readonly apiUrl: string
  readonly token: string | undefined
  /** The login the token writes as, when `RECONCILE_GITHUB_LOGIN` names it (else asked of GitHub). */
  readonly login: string | undefined
  readonly repository: Repository | undefined
  /** The pull request this run belongs to, from the event payload or `RECONCILE_PR_NUMBER`. */
  readonly prNumber: number | undefined
  /** The run's log page, e.g. `https://github.com/acme/app/actions/runs/42`. */
  readonly runUrl: string | undefined
  /** The commit a deployment points at (`GITHUB_SHA`, else `GITHUB_REF`). */
  readonly ref: string | undefined
  readonly stepSummaryFile: string | undefined
  /** True inside GitHub Actions, where `::error` workflow commands become annotations. */
  readonly actions: boolean
  readonly workspace: string | undefined
}

const nonEmpty = (s: string | undefined): string | undefined =>
  s === undefined || s.trim() === "" ? undefined : s

const parseRepository = (s: string | undefined): Repository | undefined => {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(s ?? "")
  return match === null ? undefined : { owner: match[1]!, repo: match[2]! }
}

const positiveInt = (value: unknown): number | undefined => {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/** `pull_request.number` from the event payload file, if it is a pull-request event. */
export const prNumberFromEvent = (path: string | undefined): number | undefined => {
  if (path === undefined) return undefined
  try {
    const event: unknown = JSON.parse(readFileSync(path, "utf8"))
    if (typeof event !== "object" || event === null || !("pull_request" in event)) return undefined
    const pr = event.pull_request
    return typeof pr === "object" && pr !== null && "number" in pr ? positiveInt(pr.number) : undefined
  } catch {
    return undefined
  }
}

/** Reads the run's GitHub context; never throws. */
export const readContext = (env: GitHubEnv): GitHubContext => {
  const repository = parseRepository(env.GITHUB_REPOSITORY)
  const server = nonEmpty(env.GITHUB_SERVER_URL)?.replace(/\/+$/, "")
  const runId = nonEmpty(env.GITHUB_RUN_ID)
  return {
    apiUrl: (nonEmpty(env.GITHUB_API_URL) ?? "https://api.github.com").replace(/\/+$/, ""),
    token: nonEmpty(env.GITHUB_TOKEN),
    login: nonEmpty(env.RECONCILE_GITHUB_LOGIN)?.trim(),
    repository,
    prNumber: prNumberFromEvent(nonEmpty(env.GITHUB_EVENT_PATH)) ?? positiveInt(env.RECONCILE_PR_NUMBER),
    runUrl:
      server !== undefined && repository !== undefined && runId !== undefined
        ? `${server}/${repository.owner}/${repository.repo}/actions/runs/${runId}`
        : undefined,
    ref: nonEmpty(env.GITHUB_SHA) ?? nonEmpty(env.GITHUB_REF),
    stepSummaryFile: nonEmpty(env.GITHUB_STEP_SUMMARY),
    actions: env.GITHUB_ACTIONS === "true",
    workspace: nonEmpty(env.GITHUB_WORKSPACE),
  }
}

/** What is missing for a call to the GitHub API, as words for a note; undefined when nothing is. */
export const missingForApi = (ctx: GitHubContext): string | undefined => {
  if (ctx.token === undefined) return "GITHUB_TOKEN is not set"
  if (ctx.repository === undefined) return "GITHUB_REPOSITORY is not set (expected owner/name)"
  return undefined
}
