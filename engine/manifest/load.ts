/**
 * Loads one environment's manifest: `DIR/ENV.yaml` and its `extends` chain, deep-merged, then decoded
 * with the schema composed from the plugins' sections. Every problem in every file is reported at once
 * as `file:line:col: path: message`; secret values are read from `SecretEnv` and never appear in errors.
 */
import * as path from "node:path"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { loadChain, type ReadManifest } from "./chain.ts"
import { digestOf } from "./digest.ts"
import { listEnvironments } from "./environments.ts"
import { flattenIssue } from "./issues.ts"
import { locate } from "./locate.ts"
import { deepMerge } from "./merge.ts"
import { fileError, ManifestError, type Problem, sortProblems } from "./Problem.ts"
import type { SecretEnv } from "./SecretEnv.ts"
import type { ManifestSection } from "./Section.ts"
import { allowedRoots } from "./safeFile.ts"
import { manifestSchema } from "./schema.ts"
import { suggest } from "./suggest.ts"
import { readManifestAt } from "./yamlFile.ts"

export interface LoadedManifest {
  /** The environment name given (`--env`). */
  readonly env: string
  /** The environment's file as given, e.g. `manifests/production.yaml`. */
  readonly file: string
  /** The extends chain, most derived first. */
  readonly files: ReadonlyArray<string>
  /** `metadata.name`. */
  readonly name: string
  /** Decoded sections, only those present. */
  readonly spec: Readonly<Record<string, unknown>>
  /** sha256 hex of the canonical JSON of the merged raw document (secret refs as `{fromEnv: NAME}`). */
  readonly digest: string
}

/**
 * A problem found by looking at several sections together; `path` starts at the document root. `at`
 * positions it in another file the manifest names (e.g. a dataset.yaml) instead of the manifest.
 */
export interface CrossCheckProblem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
  readonly at?: { readonly file: string; readonly line: number; readonly col: number; readonly path: string }
  /** Point at the value rather than its key (the default). */
  readonly on?: "key" | "value"
}

/** Where a check runs: the manifests folder and where named files may lie (see `allowedRoots`). */
export interface CheckContext {
  readonly dir: string
  readonly roots: ReadonlyArray<string>
}

export interface LoadOptions {
  readonly dir: string
  readonly env: string
  readonly sections: ReadonlyArray<ManifestSection>
  /** Checks run on the decoded spec (e.g. "DATABASE_URL is owned by an add-on"); positioned like schema problems. */
  readonly checks?: ReadonlyArray<
    (spec: Readonly<Record<string, unknown>>, where: CheckContext) => ReadonlyArray<CrossCheckProblem>
  >
}

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

const fail = (problems: ReadonlyArray<Problem>) =>
  Effect.fail(new ManifestError({ problems: sortProblems(problems) }))

const envFile = (dir: string, env: string): Effect.Effect<string, ManifestError> =>
  Effect.gen(function* () {
    if (!ENV_NAME.test(env)) {
      return yield* Effect.fail(
        fileError(dir, `invalid environment name "${env}" (expected a file name without .yaml)`),
      )
    }
    const file = path.join(dir, `${env}.yaml`)
    const envs = yield* listEnvironments(dir)
    if (envs.includes(env)) return file
    const close = suggest(env, envs)
    const available =
      envs.length === 0
        ? `${dir} has no *.yaml files`
        : `${close === undefined ? "" : `did you mean "${close}"? `}available: ${envs.join(", ")}`
    return yield* Effect.fail(fileError(file, `no manifest for environment "${env}" (${available})`))
  })

const decoderOf = (sections: ReadonlyArray<ManifestSection>) =>
  Schema.decodeUnknown(manifestSchema(sections), { errors: "all", onExcessProperty: "error" })

/**
 * A loader of several environments' manifests for one command (`validate` checks them all): the
 * schema and its decoder are built once, and each file is read and parsed once (a base shared by
 * every environment too). Files are not read again, so a long-lived process makes one per pass.
 */
export const manifestLoader = (parts: Pick<LoadOptions, "sections" | "checks">) => {
  const decode = decoderOf(parts.sections)
  const parsed = new Map<string, ReturnType<ReadManifest>>()
  const read: ReadManifest = (dir, file) => {
    const key = JSON.stringify([dir, file])
    const known = parsed.get(key) ?? readManifestAt(dir, file)
    parsed.set(key, known)
    return known
  }
  return (dir: string, env: string) => loadWith({ ...parts, dir, env }, decode, read)
}

/** Loads, merges and decodes `DIR/ENV.yaml`; fails with every problem found. */
export const loadManifest = (options: LoadOptions): Effect.Effect<LoadedManifest, ManifestError, SecretEnv> =>
  manifestLoader(options)(options.dir, options.env)

const loadWith = (
  options: LoadOptions,
  decode: ReturnType<typeof decoderOf>,
  read: ReadManifest,
): Effect.Effect<LoadedManifest, ManifestError, SecretEnv> =>
  Effect.gen(function* () {
    const file = yield* envFile(options.dir, options.env)
    const chain = yield* loadChain(file, undefined, read)
    if (chain.fatal) return yield* fail(chain.problems)
    const merged = chain.files.reduceRight<unknown>((acc, f) => deepMerge(acc, f.raw), undefined)
    const decoded = yield* Effect.either(decode(merged))
    const problems = [...chain.problems]
    if (Either.isLeft(decoded)) {
      problems.push(...flattenIssue(decoded.left.issue).map((issue) => locate(chain.files, issue)))
    }
    if (problems.length > 0 || Either.isLeft(decoded)) return yield* fail(problems)
    const manifest = decoded.right
    const where = { dir: options.dir, roots: allowedRoots(options.dir) }
    const crossChecked = (options.checks ?? []).flatMap((check) => check(manifest.spec ?? {}, where))
    if (crossChecked.length > 0) {
      return yield* fail(
        crossChecked.map((p) =>
          p.at !== undefined
            ? { ...p.at, message: p.message }
            : locate(chain.files, { path: p.path, at: p.on ?? "key", message: p.message }),
        ),
      )
    }
    // the digest on first use: `validate` never reads it, and hashing needs node:crypto loaded
    let digest: string | undefined
    const loaded: LoadedManifest = {
      env: options.env,
      file,
      files: chain.files.map((f) => f.file),
      name: manifest.metadata.name,
      spec: manifest.spec ?? {},
      get digest() {
        digest ??= digestOf(merged)
        return digest
      },
    }
    return loaded
  }).pipe(Effect.withSpan("manifest.load", { attributes: { env: options.env } }))

/**
 * The merged, undecoded `spec` of `DIR/ENV.yaml` (its bases applied): for reading one section of
 * another environment's manifest (e.g. reference-data's `from: { env }`) without its plugins.
 */
export const loadRawSpec = (
  dir: string,
  env: string,
): Effect.Effect<Record<string, unknown>, ManifestError> =>
  Effect.gen(function* () {
    const chain = yield* loadChain(yield* envFile(dir, env), dir)
    if (chain.fatal) return yield* fail(chain.problems)
    const merged = chain.files.reduceRight<unknown>((acc, f) => deepMerge(acc, f.raw), undefined) as
      | { readonly spec?: Record<string, unknown> }
      | undefined
    return merged?.spec ?? {}
  })
