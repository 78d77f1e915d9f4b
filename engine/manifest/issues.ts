/**
 * Turns Effect's ParseIssue tree into flat (path, message) pairs a user can act on: an excess key gets
 * a "did you mean", a missing key points at its parent map, and a union that failed at the top says
 * what it accepts in one message instead of one line per member.
 */
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as AST from "effect/SchemaAST"
import { describe, show } from "./describe.ts"
import { suggest } from "./suggest.ts"

export type Segment = string | number

/** One problem before positioning. `at: "key"` prefers the key's position, `"value"` the value's. */
export interface PathIssue {
  readonly path: ReadonlyArray<Segment>
  readonly at: "key" | "value"
  readonly message: string
}

const segmentsOf = (path: PropertyKey | ReadonlyArray<PropertyKey>): ReadonlyArray<Segment> =>
  (Array.isArray(path) ? (path as ReadonlyArray<PropertyKey>) : [path as PropertyKey]).map((s) =>
    typeof s === "number" ? s : String(s),
  )

const annotatedMessage = (issue: ParseResult.ParseIssue, ast: AST.AST): string | undefined => {
  const annotation = Option.getOrUndefined(AST.getMessageAnnotation(ast))
  if (annotation === undefined) return undefined
  const result = annotation(issue)
  if (typeof result === "string") return result
  if (typeof result === "object" && "message" in result && typeof result.message === "string")
    return result.message
  return undefined
}

const typeMessage = (issue: ParseResult.Type): string =>
  issue.message ??
  annotatedMessage(issue, issue.ast) ??
  `expected ${describe(issue.ast)}, got ${show(issue.actual)}`

/** Allowed keys of the map whose Composite the excess key was found in. */
const knownKeys = (ast: AST.AST | undefined): ReadonlyArray<string> =>
  ast !== undefined && AST.isTypeLiteral(ast) ? ast.propertySignatures.map((p) => String(p.name)) : []

const unknownKeyMessage = (
  path: ReadonlyArray<Segment>,
  key: string,
  known: ReadonlyArray<string>,
): string => {
  const what = path.length === 1 && path[0] === "spec" ? "section" : "key"
  const hint = suggest(key, known)
  if (hint !== undefined) return `unknown ${what} "${key}" (did you mean "${hint}"?)`
  if (known.length === 0) return `unknown ${what} "${key}"`
  return `unknown ${what} "${key}" (known ${what}s: ${known.join(", ")})`
}

/** A member of a union that failed at its very top (wrong kind of value), so it says nothing useful. */
const isShallow = (issue: ParseResult.ParseIssue): boolean => {
  switch (issue._tag) {
    case "Type":
      return issue.message === undefined
    case "Transformation":
      return issue.kind === "Encoded" && isShallow(issue.issue)
    case "Refinement":
      return issue.kind === "From" && isShallow(issue.issue)
    case "Composite":
      return (
        AST.isUnion(issue.ast) &&
        (Array.isArray(issue.issues) ? issue.issues : [issue.issues]).every(isShallow)
      )
    default:
      return false
  }
}

const childrenOf = (issue: ParseResult.Composite): ReadonlyArray<ParseResult.ParseIssue> =>
  Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]

const walk = (
  issue: ParseResult.ParseIssue,
  path: ReadonlyArray<Segment>,
  parent: AST.AST | undefined,
  out: Array<PathIssue>,
): void => {
  switch (issue._tag) {
    case "Pointer": {
      const segments = segmentsOf(issue.path)
      const inner = issue.issue
      const key = String(segments[segments.length - 1] ?? "")
      const at = [...path, ...segments.slice(0, -1)]
      if (inner._tag === "Missing") {
        out.push({ path: at, at: "key", message: `missing required key "${key}"` })
      } else if (inner._tag === "Unexpected") {
        out.push({ path: [...at, key], at: "key", message: unknownKeyMessage(at, key, knownKeys(parent)) })
      } else {
        walk(inner, [...path, ...segments], undefined, out)
      }
      return
    }
    case "Composite": {
      const children = childrenOf(issue)
      if (!AST.isUnion(issue.ast)) {
        for (const child of children) walk(child, path, issue.ast, out)
        return
      }
      const deep = children.filter((child) => !isShallow(child))
      if (deep.length === 0) {
        out.push({ path, at: "value", message: `expected ${describe(issue.ast)}, got ${show(issue.actual)}` })
        return
      }
      // Several members got past the top: report the one that came closest (fewest problems).
      const attempts = deep.map((child) => {
        const found: Array<PathIssue> = []
        walk(child, path, undefined, found)
        return found
      })
      const best = attempts.reduce((a, b) => (b.length < a.length ? b : a))
      out.push(...best)
      return
    }
    case "Type":
      out.push({ path, at: "value", message: typeMessage(issue) })
      return
    case "Refinement":
    case "Transformation":
      walk(issue.issue, path, issue.kind === "From" || issue.kind === "Encoded" ? parent : undefined, out)
      return
    case "Forbidden":
      out.push({ path, at: "value", message: issue.message ?? "this value cannot be checked here" })
      return
    case "Missing":
      out.push({ path, at: "key", message: issue.message ?? "a required value is missing" })
      return
    case "Unexpected":
      out.push({ path, at: "key", message: issue.message ?? "unexpected value" })
      return
  }
}

/** Flattens a ParseIssue into positioned-later problems, one per actionable issue. */
export const flattenIssue = (issue: ParseResult.ParseIssue): ReadonlyArray<PathIssue> => {
  const out: Array<PathIssue> = []
  walk(issue, [], undefined, out)
  return out
}

/** `spec.addons[0].plan`; "" for the root. */
export const formatPath = (path: ReadonlyArray<Segment>): string =>
  path.reduce<string>(
    (acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc === "" ? s : `${acc}.${s}`),
    "",
  )
