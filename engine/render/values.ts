/**
 * How a step's before and after read: scalars as literals, secrets only by fingerprint, records as
 * `key=value` pairs, and record-to-record updates as one line per field that differs. Shared by the
 * text and markdown renderers; no styling here.
 */
import type { DisplayValue, Scalar, Step } from "../plan/Step.ts"
import { SensitiveValue } from "../plan/Step.ts"

/** A step's change: one value (fits on the address line) or one line per changed field. */
export type ChangeView =
  | { readonly _tag: "None" }
  | { readonly _tag: "Value"; readonly text: string }
  | { readonly _tag: "Fields"; readonly lines: ReadonlyArray<string> }

type Fields = Readonly<Record<string, Scalar>>

const isFields = (v: DisplayValue): v is Fields =>
  typeof v === "object" && v !== null && !(v instanceof SensitiveValue)

/**
 * One scalar as a literal. In a step marked sensitive anything that is not already a fingerprint is
 * masked, so a plugin that forgot to redact still cannot leak a value into output.
 */
export const formatScalar = (v: Scalar, sensitive: boolean): string => {
  if (v instanceof SensitiveValue) return `(sensitive) #${v.fingerprint}`
  if (sensitive && v !== null) return "(sensitive)"
  return typeof v === "string" ? JSON.stringify(v) : String(v)
}

/** A whole value: a scalar, or a record as `key=value` pairs in the record's own order. */
export const formatValue = (v: DisplayValue, sensitive: boolean): string => {
  if (!isFields(v)) return formatScalar(v, sensitive)
  const pairs = Object.entries(v).map(([k, x]) => `${k}=${formatScalar(x, sensitive)}`)
  return pairs.length === 0 ? "{}" : pairs.join(" ")
}

const absent = "(none)"

const sameScalar = (a: Scalar | undefined, b: Scalar | undefined): boolean =>
  a instanceof SensitiveValue && b instanceof SensitiveValue ? a.fingerprint === b.fingerprint : a === b

const fieldLines = (before: Fields, after: Fields, sensitive: boolean): ReadonlyArray<string> => {
  const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))]
  const lines: Array<string> = []
  for (const key of keys) {
    const b = before[key]
    const a = after[key]
    if (sameScalar(b, a)) continue
    const from = b === undefined ? absent : formatScalar(b, sensitive)
    const to = a === undefined ? absent : formatScalar(a, sensitive)
    lines.push(`${key}: ${from} → ${to}`)
  }
  return lines
}

/** What the step changes: a create shows only after, a delete only before, others before → after. */
export const changeView = (step: Step): ChangeView => {
  const { sensitive } = step
  const before = step.action === "create" ? undefined : step.before
  const after = step.action === "delete" ? undefined : step.after
  if (before !== undefined && after !== undefined && isFields(before) && isFields(after)) {
    const lines = fieldLines(before, after, sensitive)
    return lines.length === 0 ? { _tag: "None" } : { _tag: "Fields", lines }
  }
  if (before !== undefined && after !== undefined) {
    return { _tag: "Value", text: `${formatValue(before, sensitive)} → ${formatValue(after, sensitive)}` }
  }
  const only = after ?? before
  return only === undefined ? { _tag: "None" } : { _tag: "Value", text: formatValue(only, sensitive) }
}
