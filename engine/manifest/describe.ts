/** Short, human words for what a schema expects and what a value was ("a string", "got 5"). */
import * as AST from "effect/SchemaAST"
import { ExpectedAnnotationId } from "./Secret.ts"

const literal = (value: AST.LiteralValue): string =>
  typeof value === "bigint" ? `${value}n` : JSON.stringify(value)

const annotation = (ast: AST.AST, id: symbol): string | undefined => {
  const value = ast.annotations[id]
  return typeof value === "string" ? value : undefined
}

/** What `ast` accepts, e.g. `a string`, `one of "us" | "eu"`, `a map`. */
export const describe = (ast: AST.AST): string => {
  const expected = annotation(ast, ExpectedAnnotationId)
  if (expected !== undefined) return expected
  switch (ast._tag) {
    case "StringKeyword":
      return "a string"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "a boolean"
    case "BigIntKeyword":
      return "an integer"
    case "UndefinedKeyword":
    case "VoidKeyword":
      return "nothing"
    case "Literal":
      return literal(ast.literal)
    case "Enums":
      return `one of ${ast.enums.map(([, value]) => JSON.stringify(value)).join(" | ")}`
    case "TypeLiteral": {
      // Small maps are named by their keys so union members can be told apart: `{ plan, as? }`.
      const keys = ast.propertySignatures.map((p) => `${String(p.name)}${p.isOptional ? "?" : ""}`)
      return keys.length === 0 || keys.length > 3 ? "a map" : `{ ${keys.join(", ")} }`
    }
    case "TupleType":
      return "a list"
    case "Union": {
      // `undefined` comes from optional keys; YAML can never supply it, so it is not worth saying.
      const types = ast.types.filter((t) => !AST.isUndefinedKeyword(t))
      const literals = types.filter(AST.isLiteral)
      if (types.length === 1 && types[0] !== undefined) return describe(types[0])
      if (literals.length === types.length)
        return `one of ${literals.map((l) => literal(l.literal)).join(" | ")}`
      return [...new Set(types.map(describe))].join(" or ")
    }
    case "Refinement":
      return annotation(ast, AST.DescriptionAnnotationId) ?? describe(ast.from)
    case "Transformation":
      return describe(ast.from)
    case "Suspend":
      return describe(ast.f())
    default:
      return (
        annotation(ast, AST.TitleAnnotationId) ??
        annotation(ast, AST.IdentifierAnnotationId) ??
        annotation(ast, AST.DescriptionAnnotationId) ??
        "a different value"
      )
  }
}

/** A value as a user would name it; maps and lists are not dumped. */
export const show = (actual: unknown): string => {
  if (actual === undefined) return "nothing"
  if (actual === null) return "null"
  if (typeof actual === "string")
    return JSON.stringify(actual.length > 40 ? `${actual.slice(0, 37)}...` : actual)
  if (typeof actual === "number" || typeof actual === "boolean") return String(actual)
  if (Array.isArray(actual)) return "a list"
  if (typeof actual === "object") return "a map"
  return typeof actual
}
