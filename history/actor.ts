/**
 * Who or what ran a command: in GitHub Actions the actor, the workflow run's URL and the commit
 * (from the GITHUB_* variables Actions sets); elsewhere the local user and the checkout's commit.
 */
import { execFile } from "node:child_process"
import { userInfo } from "node:os"
import * as Effect from "effect/Effect"
import { Actor } from "./RunRecord.ts"

type Env = Readonly<Record<string, string | undefined>>

const localUser = (env: Env): string => {
  try {
    return env.USER ?? userInfo().username
  } catch {
    return "unknown"
  }
}

/** The checkout's commit, best effort (no git, no repository: none). */
const gitHead = (dir: string): Effect.Effect<string | undefined> =>
  Effect.async<string | undefined>((resume) => {
    const child = execFile("git", ["rev-parse", "HEAD"], { cwd: dir, timeout: 2000 }, (error, stdout) =>
      resume(
        Effect.succeed(error === null && /^[0-9a-f]{40}$/.test(stdout.trim()) ? stdout.trim() : undefined),
      ),
    )
    return Effect.sync(() => child.kill())
  })

/** The actor of a run started with environment `env` from manifests in `dir`. */
export const actorFrom = (env: Env, dir: string): Effect.Effect<Actor> =>
  Effect.gen(function* () {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env
    const ciRunUrl =
      server !== undefined && repo !== undefined && run !== undefined
        ? `${server}/${repo}/actions/runs/${run}${env.GITHUB_RUN_ATTEMPT === undefined ? "" : `/attempts/${env.GITHUB_RUN_ATTEMPT}`}`
        : undefined
    const commit = env.GITHUB_SHA ?? (yield* gitHead(dir))
    return new Actor({
      user: env.GITHUB_ACTOR ?? localUser(env),
      ...(ciRunUrl === undefined ? {} : { ciRunUrl }),
      ...(commit === undefined ? {} : { commit }),
    })
  })
