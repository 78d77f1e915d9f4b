/**
 * Manifest mutations for the bad-input suite: from a valid manifest's text, a seeded PRNG picks one
 * mutation (delete a key, change a value's type, break the YAML, a huge value, unicode, an unknown
 * key, structural damage) and returns the new text with a one-line description to reproduce it.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, visit } from "yaml"
import type { Prng } from "./support.ts"

/** A mutated manifest text and what was done to it. */
export interface Mutation {
  readonly text: string
  readonly what: string
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
  const kind = pick(rng, ["delete", "type", "type", "text", "text", "huge", "unicode", "unknown", "empty"])
  switch (kind) {
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
