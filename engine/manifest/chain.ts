/**
 * Follows `metadata.extends` from an environment's file to its bases, most derived first. A base must
 * be a regular file inside the manifests folder (symlinks resolved), at most 1 MiB, whose document is
 * a map; a missing, escaping, special or non-map base, or a cycle, is a problem at the `extends`
 * value of the file that named it.
 */
import * as path from "node:path"
import * as Effect from "effect/Effect"
import type { ManifestError, Problem } from "./Problem.ts"
import { type ManifestFile, pathKey, readManifestAt, readManifestFile } from "./yamlFile.ts"

export interface Chain {
  readonly files: ReadonlyArray<ManifestFile>
  readonly problems: ReadonlyArray<Problem>
  /** True when the files cannot be merged and checked (syntax error, missing base, cycle). */
  readonly fatal: boolean
}

const extendsOf = (raw: unknown): unknown =>
  typeof raw === "object" && raw !== null && "metadata" in raw
    ? typeof raw.metadata === "object" && raw.metadata !== null && "extends" in raw.metadata
      ? raw.metadata.extends
      : undefined
    : undefined

const describe = (raw: unknown): string =>
  raw === null || raw === undefined ? "an empty document" : Array.isArray(raw) ? "a list" : `a ${typeof raw}`

/** How a chain reads one file (`readManifestAt`, or a run's memo of it). */
export type ReadManifest = (dir: string, file: string) => ReturnType<typeof readManifestAt>

/** Loads `file` (inside `dir`, default its folder) and its bases, which must lie inside `dir`. */
export const loadChain = (
  file: string,
  dir: string = path.dirname(file),
  read: ReadManifest = readManifestAt,
): Effect.Effect<Chain, ManifestError> =>
  Effect.gen(function* () {
    const first = yield* readManifestFile(file, dir, read)
    const files: Array<ManifestFile> = [first]
    const problems: Array<Problem> = [...first.problems]
    if (first.fatal) return { files, problems, fatal: true }
    let current = first
    for (;;) {
      const base = extendsOf(current.raw)
      if (typeof base !== "string") return { files, problems, fatal: false }
      const next = path.isAbsolute(base) ? base : path.join(path.dirname(current.file), base)
      const where = current.positions.get(pathKey(["metadata", "extends"]))?.value ?? { line: 1, col: 1 }
      const at = { file: current.file, ...where, path: "metadata.extends" }
      const stop = (message: string) => {
        problems.push({ ...at, message })
        return { files, problems, fatal: true }
      }
      if (files.some((f) => path.resolve(f.file) === path.resolve(next))) {
        return stop(`extends cycle: ${[...files.map((f) => f.file), next].join(" → ")}`)
      }
      const got = read(dir, next)
      if (!got.ok) {
        return stop(
          got.reason.endsWith(" not found")
            ? `base manifest ${next} not found`
            : `base manifest refused: ${got.reason} (a base must be a regular file inside ${dir})`,
        )
      }
      files.push(got.value)
      problems.push(...got.value.problems)
      if (got.value.fatal) return { files, problems, fatal: true }
      const raw = got.value.raw
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        return stop(`base manifest ${next} is ${describe(raw)}, expected a map`)
      }
      current = got.value
    }
  })
