/**
 * The deterministic source artifact: a gzipped ustar archive of the included files, with entries
 * sorted by path and fixed metadata (mtime 0, uid/gid 0, mode 0644 or 0755), so the same tree always
 * gives the same bytes and the same checksum. `node_modules`, `.git` and `.reconcile` are left out.
 */
import { createHash } from "node:crypto"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, normalize } from "node:path"
import { gzipSync } from "node:zlib"

export interface SourceFile {
  readonly path: string
  readonly executable: boolean
  readonly content: Buffer
}

const skipped: ReadonlySet<string> = new Set(["node_modules", ".git", ".reconcile"])

/** The files under `root` that `include` names (files or folders), sorted by path; throws on a missing one. */
export const collectFiles = (root: string, include: ReadonlyArray<string>): SourceFile[] => {
  const files = new Map<string, SourceFile>()
  const visit = (rel: string) => {
    if (rel.split("/").some((segment) => skipped.has(segment))) return
    const abs = join(root, rel)
    const stat = statSync(abs)
    if (stat.isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(`${rel}/${name}`)
    } else if (stat.isFile()) {
      files.set(rel, { path: rel, executable: (stat.mode & 0o100) !== 0, content: readFileSync(abs) })
    }
  }
  for (const entry of include) {
    const rel = normalize(entry).replace(/\\/g, "/").replace(/\/+$/, "")
    if (rel.startsWith("..") || rel.startsWith("/")) throw new Error(`${entry} is outside source.dir`)
    visit(rel === "." ? "." : rel)
  }
  return [...files.values()]
    .map((f) => ({ ...f, path: f.path.replace(/^\.\//, "") }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

const octal = (value: number, width: number): string => `${value.toString(8).padStart(width - 1, "0")}\0`

/** Splits a long path into ustar's prefix (≤155) and name (≤100). */
const splitPath = (path: string): { readonly prefix: string; readonly name: string } => {
  if (Buffer.byteLength(path) <= 100) return { prefix: "", name: path }
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i)
    const name = path.slice(i + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name }
  }
  throw new Error(`path too long for the source tarball: ${path}`)
}

const header = (file: SourceFile): Buffer => {
  const block = Buffer.alloc(512)
  const { prefix, name } = splitPath(file.path)
  block.write(name, 0, 100, "utf8")
  block.write(octal(file.executable ? 0o755 : 0o644, 8), 100, "ascii")
  block.write(octal(0, 8), 108, "ascii")
  block.write(octal(0, 8), 116, "ascii")
  block.write(octal(file.content.length, 12), 124, "ascii")
  block.write(octal(0, 12), 136, "ascii")
  block.write("        ", 148, "ascii")
  block.write("0", 156, "ascii")
  block.write("ustar\0", 257, "ascii")
  block.write("00", 263, "ascii")
  block.write(prefix, 345, 155, "utf8")
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii")
  return block
}

/** The gzipped archive of `files` (already sorted). */
export const tarGz = (files: ReadonlyArray<SourceFile>): Buffer => {
  const parts: Buffer[] = []
  for (const file of files) {
    parts.push(header(file), file.content)
    const pad = (512 - (file.content.length % 512)) % 512
    if (pad > 0) parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(1024))
  return gzipSync(Buffer.concat(parts), { level: 9 })
}

/** Heroku's checksum format for a source blob: `SHA256:<hex>`. */
export const checksumOf = (blob: Buffer): string =>
  `SHA256:${createHash("sha256").update(blob).digest("hex")}`
