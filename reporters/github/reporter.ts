/**
 * The GitHub reporter: tells GitHub about a run without ever failing it. Automatic inside Actions:
 * the job summary (when `$GITHUB_STEP_SUMMARY` is set) and `::error` annotations for manifest
 * problems (when `GITHUB_ACTIONS=true`). On request (`--report`): the pull-request plan comment, the
 * environment's drift issue, and a deployment with statuses. Whatever could not be delivered comes
 * back as a note; every GitHub call is bounded in time.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type { Octokit } from "octokit"
import {
  type Finished,
  type ReportContext,
  type Reporter,
  renderPlanMarkdown,
  renderSummaryMarkdown,
} from "../../engine/index.ts"
import { type ClientOptions, defaultClientOptions } from "../../services/github/client.ts"
import { GitHub, layer as githubLayer } from "../../services/github/GitHub.ts"
import { problemAnnotation } from "./annotations.ts"
import { type GitHubContext, type GitHubEnv, missingForApi, type Repository, readContext } from "./context.ts"
import { createDeployment, type DeploymentState, postDeploymentStatus } from "./deployment.ts"
import { reportDrift } from "./driftIssue.ts"
import { whoAmI } from "./identity.ts"
import { upsertPlanComment } from "./prComment.ts"
import { appendStepSummary } from "./stepSummary.ts"

/** The `--report` kinds this reporter understands. */
export const githubKinds = {
  prComment: "github-pr-comment",
  driftIssue: "github-drift-issue",
  deployment: "github-deployment",
} as const

/** Client limits, where the environment is read from, and where workflow commands are written. */
export interface GitHubReporterOptions extends ClientOptions {
  readonly env: () => GitHubEnv
  /** Writes one workflow command line (stdout, where the runner reads them). */
  readonly command: (line: string) => Effect.Effect<void>
}

type Notes = Effect.Effect<ReadonlyArray<string>>
const none: Notes = Effect.succeed([])
const note = (text: string): Notes => Effect.succeed([`github: ${text}`])

const runLink = (gh: GitHubContext): string => (gh.runUrl === undefined ? "" : `([run log](${gh.runUrl}))`)

/** A GitHub reporter with its own limits and environment; `githubReporter` is the default one. */
export const makeGithubReporter = (overrides: Partial<GitHubReporterOptions> = {}): Reporter<never> => {
  const options: GitHubReporterOptions = {
    ...defaultClientOptions,
    env: () => process.env,
    command: Console.log,
    ...overrides,
  }
  /** Deployments `started` created, by environment, for `finished` to complete. */
  const deployments = new Map<string, number>()

  const remote = (
    gh: GitHubContext,
    what: string,
    operation: (octokit: Octokit, repo: Repository) => Promise<unknown>,
  ): Notes => {
    const missing = missingForApi(gh)
    if (missing !== undefined || gh.token === undefined || gh.repository === undefined) {
      return note(`could not ${what}: ${missing}`)
    }
    const repository = gh.repository
    return Effect.flatMap(GitHub, (github) => github.call((octokit) => operation(octokit, repository))).pipe(
      Effect.provide(githubLayer({ apiUrl: gh.apiUrl, token: gh.token }, options)),
      Effect.as([]),
      Effect.catchAll((e) => note(`could not ${what}: ${e.message}`)),
    )
  }

  const startDeployment = (gh: GitHubContext, ctx: ReportContext, changes: number): Notes =>
    gh.ref === undefined
      ? note(`could not create a deployment for ${ctx.env}: neither GITHUB_SHA nor GITHUB_REF is set`)
      : remote(gh, `create a deployment for ${ctx.env}`, async (octokit, repo) => {
          const description = `reconcile: applying ${changes} change(s) to ${ctx.env}`
          const id = await createDeployment(octokit, repo, { ref: gh.ref!, env: ctx.env, description })
          deployments.set(ctx.env, id)
          await postDeploymentStatus(octokit, repo, id, {
            state: "in_progress",
            description,
            logUrl: gh.runUrl,
            environmentUrl: undefined,
          })
        })

  const finishDeployment = (gh: GitHubContext, ctx: ReportContext, outcome: Finished): Notes => {
    const summary = outcome.summary
    const state: DeploymentState =
      summary === undefined ? "error" : summary.ok && outcome.exitCode === 0 ? "success" : "failure"
    const description =
      summary === undefined
        ? `reconcile: the apply ended without a summary (exit ${outcome.exitCode})`
        : summary.ok
          ? "reconcile: converged"
          : `reconcile: ${summary.error ?? (summary.converged ? "converged with problems" : "did not converge")}`
    const known = deployments.get(ctx.env)
    if (known === undefined && gh.ref === undefined) {
      return note(`could not create a deployment for ${ctx.env}: neither GITHUB_SHA nor GITHUB_REF is set`)
    }
    return remote(gh, `set the ${ctx.env} deployment's status to ${state}`, async (octokit, repo) => {
      const id = known ?? (await createDeployment(octokit, repo, { ref: gh.ref!, env: ctx.env, description }))
      deployments.delete(ctx.env)
      await postDeploymentStatus(octokit, repo, id, {
        state,
        description,
        logUrl: gh.runUrl,
        environmentUrl: summary?.outputs.appUrl,
      })
    })
  }

  const planComment = (gh: GitHubContext, ctx: ReportContext, outcome: Finished): Notes => {
    if (ctx.mode !== "dry-run") return note(`${githubKinds.prComment} is for dry-runs; nothing was posted`)
    const pr = gh.prNumber
    if (pr === undefined) {
      return note(
        `could not post the ${ctx.env} plan comment: no pull request (GITHUB_EVENT_PATH has no pull_request.number and RECONCILE_PR_NUMBER is not set)`,
      )
    }
    const failed = outcome.exitCode === 1 ? ["**The dry-run failed (exit 1); see the run log.**"] : []
    const footer = `_Dry-run at ${outcome.plan.createdAt} ${runLink(gh)}_`
    const markdown = [renderPlanMarkdown(outcome.plan), ...failed, footer].join("\n\n")
    return remote(gh, `update the ${ctx.env} plan comment on pull request #${pr}`, async (octokit, repo) =>
      upsertPlanComment(octokit, repo, pr, ctx.env, markdown, await whoAmI(octokit, gh.login)),
    )
  }

  const driftIssue = (gh: GitHubContext, ctx: ReportContext, outcome: Finished): Notes => {
    if (ctx.mode !== "dry-run") return note(`${githubKinds.driftIssue} is for dry-runs; no issue was updated`)
    if (outcome.exitCode === 1)
      return note(`the ${ctx.env} drift issue was left as it is: the dry-run failed`)
    const report = {
      env: ctx.env,
      drifted: outcome.exitCode === 2 || !outcome.plan.isEmpty,
      planMarkdown: renderPlanMarkdown(outcome.plan),
      runLink: runLink(gh),
    }
    return remote(gh, `update the ${ctx.env} drift issue`, async (octokit, repo) =>
      reportDrift(octokit, repo, report, await whoAmI(octokit, gh.login)),
    )
  }

  const jobSummary = (gh: GitHubContext, outcome: Finished): Notes =>
    gh.stepSummaryFile === undefined
      ? none
      : appendStepSummary(
          gh.stepSummaryFile,
          outcome.summary === undefined
            ? renderPlanMarkdown(outcome.plan)
            : renderSummaryMarkdown(outcome.summary),
        )

  return {
    name: "github",
    kinds: Object.values(githubKinds),
    started: (ctx, plan) =>
      Effect.suspend(() =>
        ctx.mode === "apply" && ctx.requested.includes(githubKinds.deployment)
          ? startDeployment(readContext(options.env()), ctx, plan.changes.length)
          : none,
      ),
    finished: (ctx, outcome) =>
      Effect.suspend(() => {
        const gh = readContext(options.env())
        const wants = (kind: string) => ctx.requested.includes(kind)
        const reports: Array<Notes> = [jobSummary(gh, outcome)]
        if (wants(githubKinds.prComment)) reports.push(planComment(gh, ctx, outcome))
        if (wants(githubKinds.driftIssue)) reports.push(driftIssue(gh, ctx, outcome))
        if (wants(githubKinds.deployment)) {
          reports.push(
            ctx.mode === "apply"
              ? finishDeployment(gh, ctx, outcome)
              : note(`${githubKinds.deployment} is for applies, not dry-runs; no deployment was created`),
          )
        }
        return Effect.all(reports, { concurrency: "unbounded" }).pipe(Effect.map((notes) => notes.flat()))
      }),
    manifestProblems: (problems) =>
      Effect.suspend(() => {
        const gh = readContext(options.env())
        if (!gh.actions) return none
        return Effect.forEach(problems, (p) => options.command(problemAnnotation(p, gh.workspace)), {
          discard: true,
        }).pipe(Effect.as([]))
      }),
  }
}

/** The GitHub reporter, reading `process.env` when it reports. */
export const githubReporter: Reporter<never> = makeGithubReporter()
