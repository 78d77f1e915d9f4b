// @ts-check
/** Serves the built frontend: files under the build directory, index.html for every other GET. */
import { readFile } from "node:fs/promises"
import { extname, join, normalize, sep } from "node:path"

/** @type {Record<string, string>} */
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
}

/**
 * Reads the file a URL path names inside `root`, or index.html (the single-page fallback).
 * @param {string} root
 * @param {string} urlPath
 * @returns {Promise<{ body: Buffer, type: string } | null>}
 */
export const staticFile = async (root, urlPath) => {
  const rel = normalize(decodeURIComponent(urlPath)).replace(/^[/\\]+/, "")
  const file = join(root, rel === "" || rel === "." ? "index.html" : rel)
  if (file !== root && !file.startsWith(root + sep)) return null
  for (const candidate of [file, join(root, "index.html")]) {
    try {
      const body = await readFile(candidate)
      return { body, type: types[extname(candidate)] ?? "application/octet-stream" }
    } catch {
      // try the next candidate
    }
  }
  return null
}
