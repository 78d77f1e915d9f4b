/** Environments are the `*.yaml` files of the manifests folder, named without the extension. */
import * as fs from "node:fs"
import * as Effect from "effect/Effect"
import { fileError, type ManifestError } from "./Problem.ts"
import { readManifestAt } from "./yamlFile.ts"

/** Sorted environment names in `dir`; a missing or unreadable folder is a `ManifestError`. */
export const listEnvironments = (dir: string): Effect.Effect<ReadonlyArray<string>, ManifestError> =>
  Effect.try({
    try: () =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".yaml"))
        .map((entry) => entry.name.slice(0, -".yaml".length))
        .sort(),
    catch: (cause) =>
      fileError(
        dir,
        cause instanceof Error && "code" in cause && cause.code === "ENOENT"
          ? `manifests folder ${dir} does not exist (use --manifests DIR)`
          : `cannot read manifests folder ${dir}: ${String(cause)}`,
      ),
  })

/**
 * The environments a fleet operation (CI previews, drift runs) should visit: every manifest that no
 * other manifest extends (bases are building blocks) and that targets a real platform, i.e. whose
 * extends chain declares no `spec.simulator` (the local environment). A file that does not parse is
 * kept, so the run reports its problems instead of skipping it silently.
 */
export const deployableEnvironments = (
  dir: string,
  options: { readonly includeLocal?: boolean } = {},
): Effect.Effect<ReadonlyArray<string>, ManifestError> =>
  Effect.map(listEnvironments(dir), (envs) => {
    const docs = new Map(envs.map((env) => [env, readRaw(dir, `${dir}/${env}.yaml`)]))
    const bases = new Set([...docs.values()].flatMap((d) => (d.extends === undefined ? [] : [d.extends])))
    const isLocal = (env: string, seen: Set<string> = new Set()): boolean => {
      const doc = docs.get(env)
      if (doc === undefined || seen.has(env)) return false
      seen.add(env)
      return doc.simulator || (doc.extends !== undefined && isLocal(doc.extends, seen))
    }
    return envs.filter((e) => !bases.has(e) && (options.includeLocal === true || !isLocal(e)))
  })

/** Just enough of a manifest to classify it; unparsable files count as plain environments. */
const readRaw = (dir: string, file: string): { readonly extends?: string; readonly simulator: boolean } => {
  try {
    const read = readManifestAt(dir, file)
    const doc = (read.ok ? read.value.raw : null) as {
      metadata?: { extends?: unknown }
      spec?: Record<string, unknown>
    } | null
    const ext = doc?.metadata?.extends
    return {
      ...(typeof ext === "string" ? { extends: ext.replace(/\.yaml$/, "") } : {}),
      simulator: doc?.spec?.simulator !== undefined,
    }
  } catch {
    return { simulator: false }
  }
}
