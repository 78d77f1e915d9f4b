/** Environments are the `*.yaml` files of the manifests folder, named without the extension. */
import * as fs from "node:fs"
import * as Effect from "effect/Effect"
import { fileError, type ManifestError } from "./Problem.ts"

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
 * The environments a fleet operation (drift runs) should visit: every manifest that no other
 * manifest extends (bases are building blocks, not environments). A file that does not parse is
 * kept, so the run reports its problems instead of skipping it silently.
 */
export const deployableEnvironments = (dir: string): Effect.Effect<ReadonlyArray<string>, ManifestError> =>
  Effect.map(listEnvironments(dir), (envs) => {
    const bases = new Set<string>()
    for (const env of envs) {
      const text = fs.readFileSync(`${dir}/${env}.yaml`, "utf8")
      const m = /^\s*extends:\s*["']?([^"'\s#]+)\.yaml["']?/m.exec(text)
      if (m?.[1] !== undefined) bases.add(m[1])
    }
    return envs.filter((e) => !bases.has(e))
  })
