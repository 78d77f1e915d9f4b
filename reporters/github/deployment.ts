/**
 * GitHub deployments: one per apply, created when the apply starts, with statuses `in_progress`
 * and then `success`, `failure` or `error`, each carrying the run's log URL and, once known, the
 * environment's URL.
 */
import type { Octokit } from "octokit"
import type { Repository } from "./context.ts"

export type DeploymentState = "in_progress" | "success" | "failure" | "error"

/** Creates a deployment of `ref` to `env` that waits for no commit statuses; returns its id. */
export const createDeployment = async (
  octokit: Octokit,
  repository: Repository,
  deployment: { readonly ref: string; readonly env: string; readonly description: string },
): Promise<number> => {
  const { data } = await octokit.rest.repos.createDeployment({
    ...repository,
    ref: deployment.ref,
    environment: deployment.env,
    description: deployment.description.slice(0, 140),
    auto_merge: false,
    required_contexts: [],
    production_environment: deployment.env === "production",
  })
  if (!("id" in data)) throw new Error(`GitHub did not create the deployment: ${data.message ?? "no id"}`)
  return data.id
}

/** Adds a status to deployment `id`. */
export const postDeploymentStatus = async (
  octokit: Octokit,
  repository: Repository,
  id: number,
  status: {
    readonly state: DeploymentState
    readonly description: string
    readonly logUrl: string | undefined
    readonly environmentUrl: string | undefined
  },
): Promise<void> => {
  await octokit.rest.repos.createDeploymentStatus({
    ...repository,
    deployment_id: id,
    state: status.state,
    description: status.description.slice(0, 140),
    auto_inactive: true,
    ...(status.logUrl === undefined ? {} : { log_url: status.logUrl }),
    ...(status.environmentUrl === undefined ? {} : { environment_url: status.environmentUrl }),
  })
}
