/**
 * The desired side of a release, computed locally: run the frontend build, digest its output, pack
 * the source tarball and checksum it. Computed once per run (observe is called several times per
 * run, by this plugin and by health) through the run's state, so two observers never build at once.
 */
import { execFile } from "node:child_process"
import { resolve } from "node:path"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { digestDir } from "../../app/digest.mjs"
import {
  defaultPolicy,
  PluginError,
  type RunContext,
  RunState,
  redactedValuesIn,
  runKey,
  secretValuesOfEnv,
} from "../../engine/index.ts"
import { runBuild } from "./buildCommand.ts"
import { withBuildCopy } from "./buildCopy.ts"
import { readGitHead } from "./gitHead.ts"
import { checksumOf, collectFiles, tarGz } from "./tarball.ts"

/** What an artifact is built from: the `release` section's source and frontend (structurally). */
export interface ArtifactSpec {
  readonly source: { readonly dir: string; readonly include: ReadonlyArray<string> }
  readonly frontend?:
    | { readonly dir: string; readonly build?: string | undefined; readonly digest: string }
    | undefined
  /** A promotion deploys another stage's slug: nothing is built locally. */
  readonly promoteFrom?: string | undefined
}

export interface Artifact {
  /** `SHA256:<hex>` of the tarball. */
  readonly checksum: string
  readonly size: number
  /** The built frontend's digest (`sha256:<hex>`), or null without a frontend. */
  readonly frontendDigest: string | null
  /** Set when a pinned digest does not match the build. */
  readonly frontendMismatch: string | null
  /** The git commit of the source tree, when it is a git checkout. */
  readonly version: string | null
}

const run = (command: string, cwd: string, file = "/bin/sh") =>
  Effect.async<{ readonly ok: boolean; readonly output: string }>((resume) => {
    const args = file === "/bin/sh" ? ["-c", command] : command.split(" ")
    const child = execFile(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resume(Effect.succeed({ ok: error === null, output: `${stdout}${stderr}` })),
    )
    return Effect.sync(() => child.kill("SIGTERM"))
  })

/** What `git rev-parse HEAD` says, when the `.git` files are in a layout readGitHead does not know. */
const gitRevParse = (tree: string) =>
  Effect.map(run("git rev-parse HEAD", tree, "git"), (git) =>
    git.ok && /^[0-9a-f]{40}$/.test(git.output.trim()) ? git.output.trim() : null,
  )

const tail = (text: string, lines = 20): string => text.trimEnd().split("\n").slice(-lines).join("\n")

/** The policy's step timeout (default 10 minutes) bounds the build command too. */
const buildTimeoutMs = (ctx: RunContext): number => {
  const policy = ctx.spec.policy as { readonly stepTimeout?: Duration.Duration } | undefined
  return policy?.stepTimeout === undefined
    ? defaultPolicy.stepTimeout.pipe(Duration.toMillis)
    : Duration.toMillis(policy.stepTimeout)
}

/** Values no build output may show: the manifest's secrets and the runner's secret-looking variables. */
const knownSecrets = (ctx: RunContext): ReadonlyArray<string> => [
  ...redactedValuesIn(ctx.spec),
  ...secretValuesOfEnv(process.env),
]

/** Runs the frontend build in `root` (a failure or timeout is a terminal error with the scrubbed tail). */
const buildFrontend = (command: string, root: string, ctx: RunContext) =>
  Effect.gen(function* () {
    const timeoutMs = buildTimeoutMs(ctx)
    const built = yield* runBuild({ command, cwd: root, timeoutMs, secrets: knownSecrets(ctx) })
    if (built.timedOut)
      return yield* Effect.fail(
        PluginError.invalid(
          `frontend build timed out after ${Duration.format(Duration.millis(timeoutMs))} and was stopped (policy.stepTimeout): ${command}\n${tail(built.output)}`,
        ),
      )
    if (!built.ok)
      return yield* Effect.fail(
        PluginError.invalid(`frontend build failed: ${command}\n${tail(built.output)}`),
      )
  })

/**
 * Builds (when the manifest says how), digests and packs `root`. `tree` is where the source lives
 * (for its git commit); `root` is it, or its temporary copy in a dry-run.
 */
const computeIn = (
  spec: ArtifactSpec,
  ctx: RunContext,
  tree: string,
  root: string,
): Effect.Effect<Artifact & { readonly tarball: Buffer }, PluginError> =>
  Effect.gen(function* () {
    const frontend = spec.frontend
    if (frontend?.build !== undefined) yield* buildFrontend(frontend.build, root, ctx)
    const frontendDigest = frontend === undefined ? null : digestDir(resolve(root, frontend.dir))
    if (frontend !== undefined && frontendDigest === null)
      return yield* Effect.fail(
        PluginError.invalid(`frontend.dir ${frontend.dir} does not exist (build it first)`),
      )
    const frontendMismatch =
      frontend !== undefined && frontend.digest !== "auto" && frontend.digest !== frontendDigest
        ? `the built frontend's digest ${frontendDigest} does not match the pinned ${frontend.digest}`
        : null
    const tarball = yield* Effect.try({
      try: () => tarGz(collectFiles(root, spec.source.include)),
      catch: (e) =>
        PluginError.invalid(`cannot pack the source: ${e instanceof Error ? e.message : String(e)}`),
    })
    const known = readGitHead(tree)
    const version = known !== undefined ? known : yield* gitRevParse(tree)
    return {
      checksum: checksumOf(tarball),
      size: tarball.length,
      frontendDigest,
      frontendMismatch,
      version,
      tarball,
    }
  })

/** A dry-run that must build does so in a temporary copy, so nothing in the tree is written. */
export const buildsInCopy = (spec: ArtifactSpec, ctx: RunContext): boolean =>
  ctx.dryRun && spec.frontend?.build !== undefined

const compute = (spec: ArtifactSpec, ctx: RunContext) => {
  const tree = resolve(spec.source.dir)
  return (
    buildsInCopy(spec, ctx)
      ? withBuildCopy(tree, (copy) => computeIn(spec, ctx, tree, copy))
      : computeIn(spec, ctx, tree, tree)
  ).pipe(Effect.withSpan("release.artifact"))
}

/** This run's built artifacts, by spec. */
const artifactKey = runKey<Artifact & { readonly tarball: Buffer }>("release.artifact")
/** This run's packed tarballs, by checksum. */
const tarballKey = runKey<Buffer>("release.tarball")

/** The artifact for `spec` in this run (built once per run; concurrent observers share the build). */
export const localArtifact = (
  spec: ArtifactSpec,
  ctx: RunContext,
): Effect.Effect<Artifact, PluginError, RunState> =>
  Effect.flatMap(RunState, (state) =>
    state
      .memo(
        artifactKey,
        JSON.stringify(spec),
        compute(spec, ctx).pipe(Effect.tap((a) => state.set(tarballKey, a.tarball, a.checksum))),
      )
      .pipe(Effect.map(({ tarball: _, ...artifact }) => artifact)),
  )

/** The tarball with this checksum, packed in this process, or recomputed (and checked) from the spec. */
export const tarballFor = (
  checksum: string,
  spec: ArtifactSpec,
  ctx: RunContext,
): Effect.Effect<Buffer, PluginError, RunState> =>
  Effect.flatMap(RunState, (state) => state.get(tarballKey, checksum)).pipe(
    Effect.flatMap((known) => {
      if (Option.isSome(known)) return Effect.succeed(known.value)
      return compute(spec, ctx).pipe(
        Effect.flatMap(({ tarball, checksum: now }) =>
          now === checksum
            ? Effect.succeed(tarball)
            : Effect.fail(
                PluginError.invalid(
                  `the source changed since the plan (now ${now.slice(0, 19)}…); plan again`,
                ),
              ),
        ),
      )
    }),
  )
