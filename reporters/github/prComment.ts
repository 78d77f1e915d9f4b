/**
 * The pull-request plan comment: one comment per pull request, found by a hidden marker and edited
 * in place, holding one section per environment (each between its own markers). A dry-run replaces
 * only its environment's section, so CI's runs over every environment share the one comment.
 */
import type { Octokit } from "octokit"
import type { Repository } from "./context.ts"
import { writtenBy } from "./identity.ts"
import { truncateUtf8 } from "./truncate.ts"

/** Marks the reconcile plan comment. */
export const commentMarker = "<!-- reconcile:plan -->"
/** Marks the start of one environment's section. */
export const planMarker = (env: string): string => `<!-- reconcile:plan:${env} -->`
const endMarker = (env: string): string => `<!-- /reconcile:plan:${env} -->`

/** GitHub's limit is 65,536 characters; bytes bound characters, with room for the heading. */
const bodyBudget = 60_000

const sectionPattern = /<!-- reconcile:plan:([^\s>]+) -->\n([\s\S]*?)\n<!-- \/reconcile:plan:\1 -->/g

/** The sections of an existing comment body, by environment. */
export const parseSections = (body: string): ReadonlyMap<string, string> =>
  new Map([...body.matchAll(sectionPattern)].map((m) => [m[1]!, m[2]!] as const))

/** The comment body with `env`'s section set to `markdown`; sections sorted, each cut to fit. */
export const mergeSections = (existing: string | undefined, env: string, markdown: string): string => {
  const sections = new Map(parseSections(existing ?? ""))
  sections.set(env, markdown)
  const cap = Math.floor(bodyBudget / sections.size)
  const note = "_Truncated to fit GitHub's comment size limit; see the job summary of the run._"
  const blocks = [...sections.keys()]
    .sort()
    .map((name) => `${planMarker(name)}\n${truncateUtf8(sections.get(name)!, cap, note)}\n${endMarker(name)}`)
  return [commentMarker, "## reconcile plan", ...blocks].join("\n\n")
}

/**
 * Creates the plan comment on pull request `pr`, or edits the one `me` wrote; returns its id. A
 * comment carrying the marker that someone else wrote is ignored, and so are its sections.
 */
export const upsertPlanComment = async (
  octokit: Octokit,
  repository: Repository,
  pr: number,
  env: string,
  markdown: string,
  me: string,
): Promise<number> => {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repository,
    issue_number: pr,
    per_page: 100,
  })
  for await (const { data } of pages) {
    const found = data.find((c) => c.body?.includes(commentMarker) === true && writtenBy(c.user, me))
    if (found !== undefined) {
      const body = mergeSections(found.body, env, markdown)
      await octokit.rest.issues.updateComment({ ...repository, comment_id: found.id, body })
      return found.id
    }
  }
  const body = mergeSections(undefined, env, markdown)
  const created = await octokit.rest.issues.createComment({ ...repository, issue_number: pr, body })
  return created.data.id
}
