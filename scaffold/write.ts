/**
 * Writing scaffolded files without losing anything: a file already holding the same text is left
 * alone; a different one is overwritten only with --force; and an existing manifests/ folder is
 * someone's work, so nothing is written into it without --force unless every file there is unchanged.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import * as Effect from "effect/Effect"
import { PluginError, UsageError } from "../engine/index.ts"

export interface PlannedFile {
  readonly path: string
  readonly text: string
  /** The new text keeps all the file held (a line appended), so changing it loses nothing. */
  readonly keepsContent?: boolean
}

export type FileAction = "create" | "overwrite" | "update" | "unchanged"

export interface WriteResult {
  readonly path: string
  readonly action: FileAction
}

const current = (dir: string, path: string) => {
  const file = join(dir, path)
  return existsSync(file) ? readFileSync(file, "utf8") : undefined
}

/** What writing `files` into `dir` would do to each. */
export const planWrites = (dir: string, files: ReadonlyArray<PlannedFile>): ReadonlyArray<WriteResult> =>
  files.map((f) => {
    const now = current(dir, f.path)
    const changed = f.keepsContent === true ? "update" : "overwrite"
    return { path: f.path, action: now === undefined ? "create" : now === f.text ? "unchanged" : changed }
  })

/** Writes the files, or refuses (writing nothing) when it would overwrite or write into `guarded` without `force`. */
export const writeFiles = (
  dir: string,
  files: ReadonlyArray<PlannedFile>,
  options: { readonly force: boolean; readonly guarded: ReadonlyArray<string> },
): Effect.Effect<ReadonlyArray<WriteResult>, UsageError | PluginError> =>
  Effect.gen(function* () {
    const planned = planWrites(dir, files)
    if (!options.force) {
      const clobbered = planned.filter((p) => p.action === "overwrite").map((p) => p.path)
      const guarded = options.guarded.filter((g) => existsSync(join(dir, g)))
      const into = planned.filter(
        (p) => p.action !== "unchanged" && guarded.some((g) => p.path.startsWith(`${g}/`)),
      )
      if (clobbered.length > 0 || into.length > 0) {
        const what = clobbered.length > 0 ? clobbered : [...new Set(into.map((p) => dirname(p.path)))]
        return yield* new UsageError({
          detail: `${what.join(", ")} already exist${what.length === 1 ? "s" : ""} with other content; nothing was written (use --force to overwrite)`,
        })
      }
    }
    for (const [i, p] of planned.entries()) {
      if (p.action === "unchanged") continue
      const file = files[i]
      if (file === undefined) continue
      yield* Effect.try({
        try: () => {
          mkdirSync(dirname(join(dir, p.path)), { recursive: true })
          writeFileSync(join(dir, p.path), file.text)
        },
        catch: (e) =>
          new PluginError({ reason: "Invalid", detail: `cannot write ${p.path}: ${(e as Error).message}` }),
      })
    }
    return planned
  })

/** .gitignore's text with `entry` on its own line (unchanged when it is already there). */
export const withIgnored = (text: string | undefined, entry: string): string => {
  const lines = (text ?? "").split(/\r?\n/)
  const bare = entry.replace(/\/$/, "")
  if (lines.some((l) => [entry, bare, `/${entry}`, `/${bare}`].includes(l.trim()))) return text ?? ""
  const body = text === undefined || text === "" ? "" : text.endsWith("\n") ? text : `${text}\n`
  return `${body}${entry}\n`
}

/** The .gitignore file `dir` should hold. */
export const gitignoreFile = (dir: string): PlannedFile => ({
  path: ".gitignore",
  text: withIgnored(current(dir, ".gitignore"), ".reconcile/"),
  keepsContent: true,
})
