/**
 * Whose comments and issues the reporter may edit: only those its own token wrote. The identity is
 * `RECONCILE_GITHUB_LOGIN` when set (a GitHub App installation token's `<app-slug>[bot]`), else the
 * token's user from `GET /user`; an installation token cannot read `/user` (403), and the one an
 * Actions run gets as GITHUB_TOKEN writes as `github-actions[bot]`, which is then assumed.
 */
import type { Octokit } from "octokit"

/** The login Actions' own GITHUB_TOKEN writes as. */
export const actionsBot = "github-actions[bot]"

/** An installation token's answer to `GET /user` (not a rate limit, which is also a 403). */
const notForIntegrations = (error: unknown): boolean =>
  typeof error === "object" &&
  error !== null &&
  "status" in error &&
  error.status === 403 &&
  "message" in error &&
  /not accessible by integration/i.test(String(error.message))

/** The login the token writes as. */
export const whoAmI = async (octokit: Octokit, configured: string | undefined): Promise<string> => {
  if (configured !== undefined) return configured
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login
  } catch (error) {
    if (notForIntegrations(error)) return actionsBot
    throw error
  }
}

/** True when `author` (a comment's or issue's `user`) is `login`; GitHub logins ignore case. */
export const writtenBy = (author: { readonly login: string } | null | undefined, login: string): boolean =>
  author !== null && author !== undefined && author.login.toLowerCase() === login.toLowerCase()
