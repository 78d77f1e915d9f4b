/**
 * The commit a source tree is checked out at, read from its `.git` files (HEAD, the loose ref, else
 * `packed-refs`; a worktree's or submodule's `.git` file points at its git dir). Every dry-run
 * needs it for the artifact, and spawning `git rev-parse HEAD` cost a process start per run (a
 * fork of the whole runner: ~10 ms of its CPU, and ~0.1 s of waiting on a loaded machine). A layout
 * this does not know returns undefined, and the caller asks git itself.
 */
import { readFileSync, statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"

const sha = /^[0-9a-f]{40}$/

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, "utf8")
  } catch {
    return undefined
  }
}

/** The git dir of the checkout containing `dir`, or null when there is none. */
const gitDirOf = (dir: string): string | null => {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const dotGit = join(at, ".git")
    const stat = statSync(dotGit, { throwIfNoEntry: false })
    if (stat?.isDirectory() === true) return dotGit
    if (stat?.isFile() === true) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(read(dotGit) ?? "")?.[1]?.trim()
      return pointer === undefined ? null : resolve(at, pointer)
    }
    if (dirname(at) === at) return null
  }
}

/**
 * The commit at HEAD of the checkout containing `dir`: a sha, null when `dir` is not in a git
 * checkout (or HEAD names no commit yet), undefined when the files say something else (ask git).
 */
export const readGitHead = (dir: string): string | null | undefined => {
  const gitDir = gitDirOf(dir)
  if (gitDir === null) return null
  const head = read(join(gitDir, "HEAD"))?.trim()
  if (head === undefined) return undefined
  if (sha.test(head)) return head
  const ref = /^ref:\s*(refs\/\S+)$/.exec(head)?.[1]
  if (ref === undefined) return undefined
  const common = read(join(gitDir, "commondir"))?.trim()
  const commonDir = common === undefined ? gitDir : resolve(gitDir, common)
  if (statSync(join(commonDir, "reftable"), { throwIfNoEntry: false }) !== undefined) return undefined
  for (const base of [gitDir, commonDir]) {
    const loose = read(join(base, ref))?.trim()
    if (loose !== undefined) return sha.test(loose) ? loose : undefined
  }
  const packed = read(join(commonDir, "packed-refs"))
  if (packed === undefined) return null
  for (const line of packed.split("\n")) {
    const [id, name] = line.trim().split(" ")
    if (name === ref && id !== undefined && sha.test(id)) return id
  }
  return null
}
