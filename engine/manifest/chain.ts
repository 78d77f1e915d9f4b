/**
 * Follows `metadata.extends` from an environment's file to its bases, most derived first. A missing
 * base or a cycle is a problem at the `extends` value of the file that named it.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as Effect from "effect/Effect"
import type { ManifestError, Problem } from "./Problem.ts"
import { type ManifestFile, pathKey, readManifestFile } from "./yamlFile.ts"

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

export const loadChain = (file: string): Effect.Effect<Chain, ManifestError> =>
  Effect.gen(function* () {
    const files: Array<ManifestFile> = []
    const problems: Array<Problem> = []
    let current = file
    for (;;) {
      const parsed = yield* readManifestFile(current)
      files.push(parsed)
      problems.push(...parsed.problems)
      if (parsed.fatal) return { files, problems, fatal: true }
      const base = extendsOf(parsed.raw)
      if (typeof base !== "string") return { files, problems, fatal: false }
      const next = path.join(path.dirname(current), base)
      const where = parsed.positions.get(pathKey(["metadata", "extends"]))?.value ?? { line: 1, col: 1 }
      const at = { file: current, ...where, path: "metadata.extends" }
      if (files.some((f) => f.file === next)) {
        const cycle = [...files.map((f) => f.file), next].join(" → ")
        problems.push({ ...at, message: `extends cycle: ${cycle}` })
        return { files, problems, fatal: true }
      }
      if (!fs.existsSync(next)) {
        problems.push({ ...at, message: `base manifest ${next} not found` })
        return { files, problems, fatal: true }
      }
      current = next
    }
  })
