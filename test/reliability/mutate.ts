/**
 * Manifest mutations for the bad-input suite: from a valid manifest's text, a seeded PRNG picks one
 * mutation (delete a key, change a value's type, break the YAML, a huge value, unicode, an unknown
 * key, structural damage, a hostile path, bad bytes) and returns the new text with a one-line description to reproduce it.
 */
import { execFileSync } from "node:child_process"
import { existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { isMap, isPair, isScalar, isSeq, parseDocument, visit } from "yaml"
import type { Prng } from "./support.ts"

/** A mutated manifest text and what was done to it. */
export interface Mutation {
  /** `__DIR__` stands for the manifests folder the case runs in. */
  readonly text: string
  readonly what: string
  /** The file's bytes, when they are not valid UTF-8 text (written instead of `text`). */
  readonly bytes?: Buffer
  /** Makes what the mutation points at (a FIFO, a symlink, a dataset) in the manifests folder. */
  readonly setup?: (dir: string) => void
}

const ensure = (file: string, make: () => void) => {
  if (!existsSync(file) && !isSymlink(file)) make()
}
const isSymlink = (file: string) => {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

/** Hostile paths: a name, the manifest path it goes to, its value and what it needs on disk. */
const hostilePaths: ReadonlyArray<{
  readonly at: ReadonlyArray<string>
  readonly value: string
  readonly setup?: (dir: string) => void
}> = [
  { at: ["metadata", "extends"], value: "/etc/passwd" },
  { at: ["metadata", "extends"], value: "/dev/zero" },
  { at: ["metadata", "extends"], value: "../../../../../etc/passwd" },
  { at: ["metadata", "extends"], value: "../outside.yaml" },
  {
    at: ["metadata", "extends"],
    value: "pipe.yaml",
    setup: (dir) => ensure(join(dir, "pipe.yaml"), () => execFileSync("mkfifo", [join(dir, "pipe.yaml")])),
  },
  {
    at: ["metadata", "extends"],
    value: "link.yaml",
    setup: (dir) => ensure(join(dir, "link.yaml"), () => symlinkSync("/etc/passwd", join(dir, "link.yaml"))),
  },
  { at: ["metadata", "extends"], value: "." },
  { at: ["spec", "database", "migrations", "dir"], value: "../../../etc" },
  { at: ["spec", "database", "migrations", "dir"], value: "/etc" },
  { at: ["spec", "database", "migrations", "dir"], value: "/dev/zero" },
  {
    at: ["spec", "database", "migrations", "dir"],
    value: "__DIR__/out",
    setup: (dir) => ensure(join(dir, "out"), () => symlinkSync("/etc", join(dir, "out"))),
  },
  { at: ["spec", "database", "referenceData", "dir"], value: "/etc" },
  { at: ["spec", "database", "referenceData", "dir"], value: "../../../../.." },
  ...["/etc/passwd", "../../../../../../etc/passwd", "fifo.csv", "link.csv", "/dev/zero"].map((file, i) => ({
    at: ["spec", "database", "referenceData", "dir"],
    value: `__DIR__/ds${i}`,
    setup: (dir: string) => {
      const ds = join(dir, `ds${i}`)
      ensure(ds, () => {
        mkdirSync(ds)
        writeFileSync(
          join(ds, "dataset.yaml"),
          `tables:\n  - { table: t, file: ${JSON.stringify(file)}, primaryKey: [id] }\n`,
        )
        execFileSync("mkfifo", [join(ds, "fifo.csv")])
        symlinkSync("/etc/passwd", join(ds, "link.csv"))
      })
    },
  })),
]

/** Bytes that are not valid UTF-8 (lone continuation, overlong, surrogate, truncated, 0xff). */
const badBytes = [[0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]

const encoding = (rng: Prng, text: string): Mutation => {
  const at = Math.floor(rng() * (text.length + 1))
  const head = Buffer.from(text.slice(0, at))
  const tail = Buffer.from(text.slice(at))
  switch (pick(rng, ["bytes", "bytes", "nul", "bom", "bom-inside", "utf16"])) {
    case "bytes": {
      const bad = pick(rng, badBytes)
      return {
        text,
        bytes: Buffer.concat([head, Buffer.from(bad), tail]),
        what: `invalid UTF-8 ${Buffer.from(bad).toString("hex")} at offset ${head.length}`,
      }
    }
    case "nul":
      return {
        text,
        bytes: Buffer.concat([head, Buffer.from([0]), tail]),
        what: `NUL byte at offset ${head.length}`,
      }
    case "bom":
      return { text: `\ufeff${text}`, what: "a leading byte-order mark" }
    case "bom-inside":
      return { text: `${text.slice(0, at)}\ufeff${text.slice(at)}`, what: `a byte-order mark at ${at}` }
    default:
      return { text, bytes: Buffer.from(`\ufeff${text}`, "utf16le"), what: "UTF-16LE with a byte-order mark" }
  }
}

const pick = <A>(rng: Prng, items: ReadonlyArray<A>): A => items[Math.floor(rng() * items.length)] as A

const unicode = [
  "ünïcödé",
  "名前",
  "🚀💥",
  "\u202eRTL\u202c",
  "zero\u200bwidth",
  "e\u0301\u0301\u0301",
  "\ufeffbom",
  "tab\there",
  "null\u0000byte",
  "\ud83d",
  "نص",
]
const wrongValues: ReadonlyArray<unknown> = [
  42,
  -1,
  3.5,
  1e308,
  true,
  null,
  "",
  "text",
  [],
  ["a", 1],
  {},
  { nested: { deeper: [1, 2] } },
  "10x",
  "-5m",
]
const brokenFragments = [
  ":",
  "- ",
  "[",
  "{",
  "}",
  '"',
  "'",
  "\t",
  "&a",
  "*nope",
  "!!binary",
  "? ",
  "|",
  "%",
  "@",
  "`",
]
const unknownKeys = ["spce", "polcy", "aps", "configs", "unknownSection", "métadata", "extnds", "🙂"]

/** Every path (list of keys/indexes) to a node in the document. */
const pathsOf = (text: string): Array<Array<string | number>> => {
  const paths: Array<Array<string | number>> = []
  visit(parseDocument(text), {
    Pair: (_, pair, path) => {
      if (!isPair(pair) || !isScalar(pair.key)) return
      const keys: Array<string | number> = []
      path.forEach((node, i) => {
        const parent = path[i - 1]
        if (isPair(node) && isScalar(node.key)) keys.push(String(node.key.value))
        else if (isSeq(parent)) keys.push(parent.items.indexOf(node as never))
      })
      paths.push([...keys, String(pair.key.value)])
    },
  })
  return paths
}

const withDoc = (text: string, f: (doc: ReturnType<typeof parseDocument>) => void): string => {
  const doc = parseDocument(text)
  f(doc)
  return doc.toString({ lineWidth: 0 })
}

const textual = (rng: Prng, text: string): Mutation => {
  const lines = text.split("\n")
  const at = Math.floor(rng() * lines.length)
  const line = lines[at] ?? ""
  const col = Math.floor(rng() * (line.length + 1))
  const kind = pick(rng, ["insert", "delete-char", "indent", "dedent", "duplicate", "truncate", "swap"])
  const edit = (l: string) => lines.map((x, i) => (i === at ? l : x)).join("\n")
  switch (kind) {
    case "insert": {
      const frag = pick(rng, brokenFragments)
      return {
        text: edit(line.slice(0, col) + frag + line.slice(col)),
        what: `insert ${JSON.stringify(frag)} at ${at + 1}:${col + 1}`,
      }
    }
    case "delete-char":
      return {
        text: edit(line.slice(0, col) + line.slice(col + 1)),
        what: `delete char at ${at + 1}:${col + 1}`,
      }
    case "indent":
      return { text: edit(`   ${line}`), what: `indent line ${at + 1}` }
    case "dedent":
      return { text: edit(line.trimStart()), what: `dedent line ${at + 1}` }
    case "duplicate":
      return {
        text: lines.flatMap((x, i) => (i === at ? [x, x] : [x])).join("\n"),
        what: `duplicate line ${at + 1}`,
      }
    case "swap":
      return {
        text: lines.map((x, i) => (i === at ? (lines[at + 1] ?? x) : i === at + 1 ? line : x)).join("\n"),
        what: `swap lines ${at + 1} and ${at + 2}`,
      }
    default:
      return { text: text.slice(0, Math.floor(rng() * text.length)), what: "truncate" }
  }
}

/** One seeded mutation of `text`. */
export const mutate = (rng: Prng, text: string): Mutation => {
  const paths = pathsOf(text)
  const path = pick(rng, paths)
  const where = path.join(".")
  const kind = pick(rng, [
    "delete",
    "type",
    "type",
    "text",
    "text",
    "huge",
    "unicode",
    "unknown",
    "empty",
    "path",
    "path",
    "encoding",
  ])
  switch (kind) {
    case "path": {
      const p = pick(rng, hostilePaths)
      return {
        text: withDoc(text, (d) => d.setIn(p.at, p.value)),
        what: `set ${p.at.join(".")} to ${p.value}`,
        ...(p.setup === undefined ? {} : { setup: p.setup }),
      }
    }
    case "encoding":
      return encoding(rng, text)
    case "delete":
      return { text: withDoc(text, (d) => d.deleteIn(path)), what: `delete ${where}` }
    case "type": {
      const v = pick(rng, wrongValues)
      return { text: withDoc(text, (d) => d.setIn(path, v)), what: `set ${where} to ${JSON.stringify(v)}` }
    }
    case "huge": {
      const v = pick(rng, [
        "x".repeat(200_000),
        "9".repeat(400),
        Array.from({ length: 5000 }, (_, i) => `v${i}`),
      ])
      const deep = pick(rng, [false, true])
      const value = deep ? Array.from({ length: 200 }).reduce<unknown>((acc) => ({ a: acc }), 1) : v
      return {
        text: withDoc(text, (d) => d.setIn(path, value)),
        what: `set ${where} to a huge ${deep ? "nesting" : "value"}`,
      }
    }
    case "unicode": {
      const u = pick(rng, unicode)
      const onKey = rng() < 0.5
      return {
        text: withDoc(text, (d) => {
          const old = d.getIn(path)
          if (onKey) {
            d.deleteIn(path)
            d.setIn([...path.slice(0, -1), `${String(path.at(-1))}${u}`], old)
          } else d.setIn(path, isScalar(old) || typeof old !== "object" ? `${String(old)}${u}` : u)
        }),
        what: `unicode ${JSON.stringify(u)} on the ${onKey ? "key" : "value"} ${where}`,
      }
    }
    case "unknown": {
      const key = pick(rng, unknownKeys)
      const parent = path.slice(0, -1)
      return {
        text: withDoc(text, (d) => {
          const node = parent.length === 0 ? d.contents : d.getIn(parent, true)
          if (isMap(node)) node.set(key, "x")
          else d.setIn(path, { [key]: 1 })
        }),
        what: `unknown key ${key} under ${parent.join(".") || "(root)"}`,
      }
    }
    case "empty":
      return pick(rng, [
        { text: "", what: "empty file" },
        { text: "---\n", what: "empty document" },
        { text: `${text}\n---\n${text}`, what: "two documents" },
        { text: "[1, 2, 3]\n", what: "a list document" },
        { text: "just a string\n", what: "a scalar document" },
      ])
    default:
      return textual(rng, text)
  }
}
