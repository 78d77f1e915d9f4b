/**
 * Load-time checks of `database.referenceData`: the folder, its dataset.yaml and every table file
 * must be inside the repository and regular; a table file's problem is positioned in dataset.yaml.
 * Missing files are not problems here (the run reports them; export creates table files).
 */
import { join, relative, resolve } from "node:path"
import {
  type CheckContext,
  type CrossCheckProblem,
  confine,
  decodeStrict,
  MANIFEST_MAX_BYTES,
  parseManifestText,
  pathKey,
  readBounded,
} from "../../engine/manifestSpec.ts"

/** Largest table file read (CSV or JSON); here, not in files.ts, so validate loads no run-time code. */
export const TABLE_FILE_MAX_BYTES = 256 * 1024 * 1024

const shown = (file: string) => {
  const rel = relative(process.cwd(), file)
  return rel.startsWith("..") ? file : rel
}

const missing = (reason: string) => reason.endsWith(" not found")

export const referenceDataProblems = (
  spec: Readonly<Record<string, unknown>>,
  where: CheckContext,
): ReadonlyArray<CrossCheckProblem> => {
  const dir = (spec.database as { referenceData?: { dir?: unknown } } | undefined)?.referenceData?.dir
  if (typeof dir !== "string") return []
  const inRepo = "paths must stay inside the repository"
  const atDir = (message: string): CrossCheckProblem => ({
    path: ["spec", "database", "referenceData", "dir"],
    on: "value",
    message: `${message}; ${inRepo}`,
  })
  const folder = confine(where.roots, dir, "folder")
  if (!folder.ok) return missing(folder.reason) ? [] : [atDir(folder.reason)]
  const datasetFile = join(resolve(dir), "dataset.yaml")
  const found = confine(where.roots, datasetFile, "file", `${dir}/dataset.yaml`)
  if (!found.ok) return missing(found.reason) ? [] : [atDir(found.reason)]
  const bytes = readBounded(found.value.real, `${dir}/dataset.yaml`, MANIFEST_MAX_BYTES)
  if (!bytes.ok) return [atDir(bytes.reason)]
  const file = shown(datasetFile)
  const decoded = decodeStrict(bytes.value)
  if (decoded.bad !== undefined) {
    const { line, col, message } = decoded.bad
    return [{ path: [], message, at: { file, line, col, path: "" } }]
  }
  const parsed = parseManifestText(file, decoded.text)
  const tables = (parsed.raw as { tables?: unknown } | null | undefined)?.tables
  if (parsed.fatal || !Array.isArray(tables)) return [] // shape errors are reported when the run reads it
  return tables.flatMap((t: unknown, i): Array<CrossCheckProblem> => {
    const name = (t as { file?: unknown } | null)?.file
    if (typeof name !== "string") return []
    const target = confine(where.roots, resolve(dir, name), "file", name)
    const problem = target.ok
      ? target.value.stat.size > TABLE_FILE_MAX_BYTES
        ? `${name} is ${target.value.stat.size} bytes, more than the ${TABLE_FILE_MAX_BYTES} allowed`
        : undefined
      : missing(target.reason)
        ? undefined
        : `${target.reason}; ${inRepo}`
    if (problem === undefined) return []
    const pos = parsed.positions.get(pathKey(["tables", i, "file"]))?.value ?? { line: 1, col: 1 }
    return [{ path: [], message: problem, at: { file, ...pos, path: `tables[${i}].file` } }]
  })
}
