/**
 * Reading a file a manifest names, safely: the path is resolved through its symlinks and must lie
 * inside a given folder, must be a regular file (never a FIFO, device or folder: checked before it is
 * opened, and again on the open descriptor) and at most `maxBytes` long; its text must be valid UTF-8.
 * Each refusal is a one-line reason, so a caller can position it where the path was written.
 */
import * as fs from "node:fs"
import * as path from "node:path"

/** Manifest files (environments and their bases) and dataset.yaml: 1 MiB. */
export const MANIFEST_MAX_BYTES = 1024 * 1024

/**
 * The repository a manifests folder belongs to: the folder it lives in (`manifests/` → the repo
 * root).
 */
export const repositoryRoot = (manifestDir: string): string => path.dirname(path.resolve(manifestDir))

/**
 * Where files a manifest names (migrations, datasets, export targets) may lie: the working directory,
 * against which relative paths resolve (CI runs from the checkout), and the manifests folder's
 * repository. Both are chosen by whoever runs reconcile, never by the manifest's author.
 */
export const allowedRoots = (manifestDir: string): ReadonlyArray<string> => {
  const roots = [path.resolve("."), repositoryRoot(manifestDir)]
  return roots[0] === roots[1] ? [roots[0] as string] : roots
}

/** Why a path was refused, or the file's bytes. */
export type Checked<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly reason: string }

const refuse = <A>(reason: string): Checked<A> => ({ ok: false, reason })

const codeOf = (cause: unknown): string =>
  typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : String(cause)

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export const isInside = (parent: string, child: string): boolean => {
  const rel = path.relative(parent, child)
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))
}

/** The real path of an existing folder, or undefined. */
export const realFolder = (dir: string): string | undefined => {
  try {
    return fs.realpathSync(dir)
  } catch {
    return undefined
  }
}

/** What kind of thing a stat describes, for messages. */
const kindOf = (s: fs.Stats): string =>
  s.isDirectory()
    ? "a folder"
    : s.isFIFO()
      ? "a FIFO"
      : s.isCharacterDevice() || s.isBlockDevice()
        ? "a device"
        : s.isSocket()
          ? "a socket"
          : "not a regular file"

/**
 * Resolves `target` (relative to the first root; symlinks followed) and checks it lies inside one of
 * `roots` (each resolved) and is of the expected kind. A missing path is refused with "not found".
 */
export const confine = (
  roots: string | ReadonlyArray<string>,
  target: string,
  kind: "file" | "folder",
  label: string = target,
): Checked<{ readonly real: string; readonly stat: fs.Stats }> => {
  const list = typeof roots === "string" ? [roots] : roots
  const shown = list.join(" or ")
  const absolute = path.resolve(list[0] ?? ".", target)
  const within = (p: string, real: boolean) =>
    list.some((r) => isInside(real ? (realFolder(r) ?? path.resolve(r)) : path.resolve(r), p))
  let real: string
  try {
    real = fs.realpathSync(absolute)
  } catch (cause) {
    if (!within(absolute, false)) return refuse(`${label} is outside ${shown}`)
    return refuse(
      codeOf(cause) === "ENOENT" ? `${label} not found` : `cannot read ${label}: ${codeOf(cause)}`,
    )
  }
  if (!within(real, true)) {
    return refuse(
      real === absolute ? `${label} is outside ${shown}` : `${label} resolves to ${real}, outside ${shown}`,
    )
  }
  const stat = fs.statSync(real)
  if (kind === "folder" && !stat.isDirectory()) return refuse(`${label} is not a folder`)
  if (kind === "file" && !stat.isFile()) {
    return refuse(`${label} is ${kindOf(stat)}, expected a regular file`)
  }
  return { ok: true, value: { real, stat } }
}

/**
 * Reads a regular file's bytes, at most `maxBytes`. The file is opened non-blocking and without
 * following a final symlink, and re-checked on its descriptor, so a path swapped for a FIFO or device
 * after `confine` cannot block or stream forever.
 */
export const readBounded = (real: string, label: string, maxBytes: number): Checked<Buffer> => {
  const before = fs.statSync(real)
  if (!before.isFile()) return refuse(`${label} is ${kindOf(before)}, expected a regular file`)
  if (before.size > maxBytes)
    return refuse(`${label} is ${before.size} bytes, more than the ${maxBytes} allowed`)
  const fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW)
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) return refuse(`${label} is ${kindOf(stat)}, expected a regular file`)
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1)
    let length = 0
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      if (length > maxBytes) return refuse(`${label} is more than the ${maxBytes} bytes allowed`)
      if (length === buffer.length) break
    }
    return { ok: true, value: buffer.subarray(0, length) }
  } finally {
    fs.closeSync(fd)
  }
}

/** Text of a file; `at` positions a refusal (invalid UTF-8, a NUL byte) by line and column. */
export interface Decoded {
  readonly text: string
  readonly bad?: { readonly line: number; readonly col: number; readonly message: string }
}

/** Offset of the first byte of an invalid UTF-8 sequence (overlong, surrogate, truncated...), or -1. */
const firstInvalidUtf8 = (bytes: Uint8Array): number => {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] as number
    if (b < 0x80) {
      i++
      continue
    }
    const [n, min, max] =
      b >= 0xc2 && b <= 0xdf
        ? [1, 0x80, 0xbf]
        : b === 0xe0
          ? [2, 0xa0, 0xbf]
          : b === 0xed
            ? [2, 0x80, 0x9f]
            : b >= 0xe1 && b <= 0xef
              ? [2, 0x80, 0xbf]
              : b === 0xf0
                ? [3, 0x90, 0xbf]
                : b === 0xf4
                  ? [3, 0x80, 0x8f]
                  : b >= 0xf1 && b <= 0xf3
                    ? [3, 0x80, 0xbf]
                    : [0, 0, 0]
    if (n === 0) return i
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k]
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf]
      if (c === undefined || c < lo || c > hi) return i
    }
    i += n + 1
  }
  return -1
}

/** Line and column (1-based, in characters) of a character offset in `text`. */
const positionOf = (text: string, offset: number) => {
  const before = text.slice(0, offset)
  const lineStart = before.lastIndexOf("\n") + 1
  return { line: before.split("\n").length, col: [...before.slice(lineStart)].length + 1 }
}

/**
 * Decodes UTF-8 strictly (a leading byte-order mark is dropped): invalid bytes or a NUL byte are
 * reported at their position, never replaced.
 */
export const decodeStrict = (bytes: Uint8Array): Decoded => {
  const bad = firstInvalidUtf8(bytes)
  if (bad >= 0) {
    const prefix = new TextDecoder("utf-8").decode(bytes.subarray(0, bad))
    return {
      text: "",
      bad: {
        ...positionOf(prefix, prefix.length),
        message: `invalid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, "0")} at offset ${bad})`,
      },
    }
  }
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  const nul = text.indexOf("\u0000")
  if (nul >= 0)
    return { text: "", bad: { ...positionOf(text, nul), message: "a NUL byte: manifests are text" } }
  return { text }
}
