// @ts-check
/**
 * The frontend digest: SHA-256 over the sorted relative paths and contents of a build directory.
 * One module, imported by the app (which reports what it serves at /health) and by the reconciler
 * (which computes what it deploys), so both sides agree byte for byte.
 */
import { createHash } from "node:crypto"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

/**
 * Digest of files given as relative POSIX paths and contents; the order of `files` does not matter.
 * @param {ReadonlyArray<{ readonly path: string, readonly content: Uint8Array }>} files
 * @returns {string} `sha256:<hex>`
 */
export const digestFiles = (files) => {
  const hash = createHash("sha256")
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const file of sorted) {
    hash.update(`${file.path}\0${file.content.length}\0`)
    hash.update(file.content)
  }
  return `sha256:${hash.digest("hex")}`
}

/**
 * Every regular file under `dir`, as relative POSIX paths (symlinks are not followed).
 * @param {string} dir
 * @returns {string[]}
 */
export const listFiles = (dir) => {
  /** @type {string[]} */
  const out = []
  /** @param {string} rel */
  const walk = (rel) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) out.push(path)
    }
  }
  walk("")
  return out.sort()
}

/**
 * The digest of a build directory, or null when it does not exist.
 * @param {string} dir
 * @returns {string | null}
 */
export const digestDir = (dir) => {
  try {
    if (!statSync(dir).isDirectory()) return null
  } catch {
    return null
  }
  return digestFiles(listFiles(dir).map((path) => ({ path, content: readFileSync(join(dir, path)) })))
}
