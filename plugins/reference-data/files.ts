/**
 * The dataset's files on disk, confined: the folder, `dataset.yaml` and every table file must be
 * regular files or folders inside the repository (symlinks resolved), `dataset.yaml` at most 1 MiB and
 * a table file at most 256 MiB, in UTF-8. Relative paths resolve against the repository root.
 */
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { confine, decodeStrict, MANIFEST_MAX_BYTES, PluginError, readBounded } from "../../engine/index.ts"
import { TABLE_FILE_MAX_BYTES } from "./validate.ts"

/** Where files may lie (see `allowedRoots`); relative paths resolve against the first. */
export type Roots = string | ReadonlyArray<string>

const shown = (roots: Roots) => (typeof roots === "string" ? roots : roots.join(" or "))

/** The dataset folder's absolute path (`dir` relative to the first root). */
export const datasetPath = (roots: Roots, dir: string): string =>
  resolve((typeof roots === "string" ? roots : roots[0]) ?? ".", dir)

/** Reads a text file inside `root`; every refusal is an `Invalid` error naming the file. */
export const readConfinedText = (
  root: Roots,
  file: string,
  maxBytes: number,
): Effect.Effect<string, PluginError> =>
  Effect.suspend(() => {
    try {
      const found = confine(root, file, "file")
      if (!found.ok)
        return Effect.fail(PluginError.invalid(`${found.reason} (files must lie inside ${shown(root)})`))
      const bytes = readBounded(found.value.real, file, maxBytes)
      if (!bytes.ok) return Effect.fail(PluginError.invalid(bytes.reason))
      const decoded = decodeStrict(bytes.value)
      return decoded.bad === undefined
        ? Effect.succeed(decoded.text)
        : Effect.fail(
            PluginError.invalid(`${file}:${decoded.bad.line}:${decoded.bad.col}: ${decoded.bad.message}`),
          )
    } catch (e) {
      return Effect.fail(PluginError.invalid(`cannot read ${file}: ${(e as Error).message}`))
    }
  })

/** `<dir>/dataset.yaml`'s text. */
export const readDatasetText = (root: Roots, dir: string) =>
  readConfinedText(root, join(datasetPath(root, dir), "dataset.yaml"), MANIFEST_MAX_BYTES)

/** A table file's text. */
export const readTableFileText = (root: Roots, dir: string, file: string) =>
  readConfinedText(root, resolve(datasetPath(root, dir), file), TABLE_FILE_MAX_BYTES)
