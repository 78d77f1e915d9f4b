/**
 * The drift issue: one issue per environment, found by a hidden marker in its body. Drift opens it
 * (or reopens it), drift that persists adds a comment with the latest plan, and a run that finds the
 * environment in sync comments and closes it. Issues carry a label so finding them is one short
 * listing; before creating one, every issue is searched so a removed label cannot cause a duplicate.
 */
import type { Octokit } from "octokit"
import type { Repository } from "./context.ts"
import { writtenBy } from "./identity.ts"
import { truncateUtf8 } from "./truncate.ts"

/** Marks the drift issue of `env`. */
export const driftMarker = (env: string): string => `<!-- reconcile:drift:${env} -->`
/** The label drift issues carry. */
export const driftLabel = "reconcile-drift"

export type DriftOutcome = "opened" | "reopened" | "commented" | "closed" | "in-sync"

interface FoundIssue {
  readonly number: number
  readonly state: string
}

const findIssue = async (
  octokit: Octokit,
  repository: Repository,
  marker: string,
  labels: string | undefined,
  me: string,
): Promise<FoundIssue | undefined> => {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    ...repository,
    state: "all",
    per_page: 100,
    ...(labels === undefined ? {} : { labels }),
  })
  const matches: Array<FoundIssue> = []
  for await (const { data } of pages) {
    for (const issue of data) {
      // only issues this token opened: one with the marker from anyone else is not ours to edit
      if (
        issue.pull_request === undefined &&
        issue.body?.includes(marker) === true &&
        writtenBy(issue.user, me)
      )
        matches.push(issue)
    }
  }
  // Several (made by hand, or by an older version): prefer an open one, then the newest.
  return matches.find((i) => i.state === "open") ?? matches.sort((a, b) => b.number - a.number)[0]
}

const limit = (markdown: string): string =>
  truncateUtf8(markdown, 60_000, "_Truncated to fit GitHub's size limit; see the job summary of the run._")

/** What the drift check knows when it reports. */
export interface DriftReport {
  readonly env: string
  readonly drifted: boolean
  /** The plan as markdown, with the run link. */
  readonly planMarkdown: string
  readonly runLink: string
}

/** Opens, reopens, comments on or closes `env`'s drift issue (one `me` opened); says what it did. */
export const reportDrift = async (
  octokit: Octokit,
  repository: Repository,
  report: DriftReport,
  me: string,
): Promise<DriftOutcome> => {
  const marker = driftMarker(report.env)
  const labelled = await findIssue(octokit, repository, marker, driftLabel, me)
  const comment = (issue: number, body: string) =>
    octokit.rest.issues.createComment({ ...repository, issue_number: issue, body: limit(body) })
  if (!report.drifted) {
    if (labelled === undefined || labelled.state !== "open") return "in-sync"
    await comment(labelled.number, `**${report.env}** is back in sync with its manifest ${report.runLink}.`)
    await octokit.rest.issues.update({
      ...repository,
      issue_number: labelled.number,
      state: "closed",
      state_reason: "completed",
    })
    return "closed"
  }
  const issue = labelled ?? (await findIssue(octokit, repository, marker, undefined, me))
  if (issue === undefined) {
    const body = [
      marker,
      `The live **${report.env}** environment differs from its manifest ${report.runLink}. The scheduled drift check comments here while it persists and closes this issue once the environment is back in sync.`,
      report.planMarkdown,
    ].join("\n\n")
    await octokit.rest.issues.create({
      ...repository,
      title: `Drift detected in ${report.env}`,
      body: limit(body),
      labels: [driftLabel],
    })
    return "opened"
  }
  if (issue.state !== "open") {
    await octokit.rest.issues.update({ ...repository, issue_number: issue.number, state: "open" })
    await comment(issue.number, `Drift is back ${report.runLink}.\n\n${report.planMarkdown}`)
    return "reopened"
  }
  await comment(issue.number, `Still drifting ${report.runLink}.\n\n${report.planMarkdown}`)
  return "commented"
}
