/**
 * One manifest file: its YAML parsed (syntax errors kept as problems), its plain value, and where each
 * value path sits in the file, so a schema problem can be reported at the line and column that caused it.
 */
import * as path from "node:path"
import * as Effect from "effect/Effect"
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml"
import { formatPath, type Segment } from "./issues.ts"
import { fileError, type ManifestError, type Problem } from "./Problem.ts"
import { type Checked, confine, decodeStrict, MANIFEST_MAX_BYTES, readBounded } from "./safeFile.ts"

export interface Pos {
  readonly line: number
  readonly col: number
}

/** Position of the key (map entries only) and of the value at one path. */
export interface Located {
  readonly key?: Pos
  readonly value: Pos
}

export interface ManifestFile {
  readonly file: string
  readonly raw: unknown
  readonly positions: ReadonlyMap<string, Located>
  /** Syntax errors (fatal: `raw` is unusable) and duplicate keys (not fatal). */
  readonly problems: ReadonlyArray<Problem>
  readonly fatal: boolean
}

/** The lookup key of a value path in `positions`. */
export const pathKey = (path: ReadonlyArray<Segment>): string => path.map(String).join("\u0000")

const keyName = (key: unknown): string => (isScalar(key) ? String(key.value) : String(key))

/** Parses YAML text; never fails, every problem is returned positioned. */
export const parseManifestText = (file: string, text: string): ManifestFile => {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false })
  const at = (offset: number | undefined): Pos => lineCounter.linePos(offset ?? 0)
  const problems: Array<Problem> = doc.errors.map((error) => ({
    file,
    ...at(error.pos[0]),
    path: "",
    message: error.message.split("\n")[0] ?? error.code,
  }))
  const positions = new Map<string, Located>()
  const visit = (node: Node | null | undefined, path: ReadonlyArray<Segment>): void => {
    if (isMap(node)) {
      const seen = new Set<string>()
      for (const pair of node.items) {
        const key = keyName(pair.key)
        const keyPos = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined)
        const childPath = [...path, key]
        if (seen.has(key)) {
          problems.push({ file, ...keyPos, path: formatPath(childPath), message: `duplicate key "${key}"` })
        }
        seen.add(key)
        const value = pair.value as Node | null
        const valueOffset = value?.range?.[0]
        positions.set(pathKey(childPath), {
          key: keyPos,
          value: valueOffset === undefined ? keyPos : at(valueOffset),
        })
        visit(value, childPath)
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const child = item as Node | null
        positions.set(pathKey([...path, index]), { value: at(child?.range?.[0]) })
        visit(child, [...path, index])
      })
    }
  }
  const root = doc.contents
  positions.set(pathKey([]), { value: root?.range ? at(root.range[0]) : { line: 1, col: 1 } })
  const fatal = doc.errors.length > 0
  let raw: unknown
  if (!fatal) {
    try {
      visit(root, [])
      raw = doc.toJS({ maxAliasCount: 100 })
    } catch (cause) {
      problems.push({ file, line: 1, col: 1, path: "", message: String(cause) })
      return { file, raw: undefined, positions, problems, fatal: true }
    }
  }
  return { file, raw, positions, problems, fatal }
}

/**
 * Reads and parses one manifest file, which must be a regular file inside `dir` (symlinks resolved)
 * of at most `MANIFEST_MAX_BYTES`, in UTF-8. A refused path is `{ ok: false, reason }` for the caller
 * to position; bad bytes are a fatal problem at their line and column in the file itself.
 */
export const readManifestAt = (dir: string, file: string): Checked<ManifestFile> => {
  try {
    const found = confine(dir, path.resolve(file), "file", file)
    if (!found.ok) return found
    const bytes = readBounded(found.value.real, file, MANIFEST_MAX_BYTES)
    if (!bytes.ok) return bytes
    const decoded = decodeStrict(bytes.value)
    if (decoded.bad !== undefined) {
      const problem = {
        file,
        line: decoded.bad.line,
        col: decoded.bad.col,
        path: "",
        message: decoded.bad.message,
      }
      return {
        ok: true,
        value: { file, raw: undefined, positions: new Map(), problems: [problem], fatal: true },
      }
    }
    return { ok: true, value: parseManifestText(file, decoded.text) }
  } catch (cause) {
    return {
      ok: false,
      reason: `cannot read ${file}: ${cause instanceof Error && "code" in cause ? String(cause.code) : String(cause)}`,
    }
  }
}

/** Reads and parses one manifest file inside `dir` (default: its own folder); a refused file is a `ManifestError`. */
export const readManifestFile = (
  file: string,
  dir: string = path.dirname(file),
  readAt: typeof readManifestAt = readManifestAt,
): Effect.Effect<ManifestFile, ManifestError> =>
  Effect.suspend(() => {
    const read = readAt(dir, file)
    return read.ok
      ? Effect.succeed(read.value)
      : Effect.fail(fileError(file, `cannot read manifest: ${read.reason}`))
  })
