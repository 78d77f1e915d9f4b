/**
 * Heroku `Range` pagination: `<field> [start]..[end][; max=<n>[, order=asc|desc]]`, where a `]`
 * before the start makes it exclusive. A page with more after it is a 206 with `Next-Range`; the
 * last page is a 200 without it (clients follow `Next-Range` on any 2xx).
 */
import { ApiError } from "./errors.ts"

export interface RangeSpec {
  readonly field: string
  readonly start: string | null
  readonly startExclusive: boolean
  readonly end: string | null
  readonly max: number
  readonly order: "asc" | "desc"
}

export interface Page {
  readonly items: readonly Record<string, unknown>[]
  readonly status: 200 | 206
  readonly headers: Readonly<Record<string, string>>
}

const DEFAULT_MAX = 200
const LIMIT_MAX = 1000

const unsatisfiable = (message: string): ApiError =>
  new ApiError(416, "requested_range_not_satisfiable", message)

/** Parses a Range header; absent means the default field, ascending, 200 per page. */
export const parseRange = (header: string | undefined, fields: readonly string[]): RangeSpec => {
  const defaults: RangeSpec = {
    field: fields[0] ?? "id",
    start: null,
    startExclusive: false,
    end: null,
    max: DEFAULT_MAX,
    order: "asc",
  }
  if (header === undefined || header.trim() === "") return defaults
  const [head = "", ...rest] = header.split(";")
  const m = /^\s*([a-z_]+)\s*(.*)$/.exec(head)
  if (m === null) throw unsatisfiable(`Invalid Range header: ${header}`)
  const field = m[1]!
  if (!fields.includes(field)) throw unsatisfiable(`Range field must be one of: ${fields.join(", ")}.`)
  const bounds = m[2]!.trim()
  let start: string | null = null
  let end: string | null = null
  let startExclusive = false
  if (bounds !== "") {
    const dots = bounds.indexOf("..")
    if (dots < 0) throw unsatisfiable(`Invalid Range header: ${header}`)
    let s = bounds.slice(0, dots).trim()
    if (s.startsWith("]")) {
      startExclusive = true
      s = s.slice(1)
    }
    start = s === "" ? null : s
    const e = bounds.slice(dots + 2).trim()
    end = e === "" ? null : e
  }
  let max = DEFAULT_MAX
  let order: "asc" | "desc" = "asc"
  for (const part of rest.join(",").split(",")) {
    const [k, v] = part.split("=").map((x) => x.trim())
    if (k === "max" && v !== undefined) {
      const n = Number.parseInt(v, 10)
      if (!Number.isFinite(n) || n < 1) throw unsatisfiable(`Invalid max in Range header: ${header}`)
      max = Math.min(n, LIMIT_MAX)
    } else if (k === "order" && (v === "asc" || v === "desc")) order = v
  }
  return { field, start, startExclusive, end, max, order }
}

type Key = string | number

const keyOf = (item: Record<string, unknown>, field: string): Key => {
  const v = item[field]
  return typeof v === "number" ? v : String(v ?? "")
}

const parseBound = (raw: string, sample: Key | undefined): Key =>
  typeof sample === "number" ? Number(raw) : raw

const compare = (a: Key, b: Key): number => (a < b ? -1 : a > b ? 1 : 0)

/** Sorts, filters and slices the items for one page and computes the headers. */
export const paginate = (
  items: readonly Record<string, unknown>[],
  spec: RangeSpec,
  fields: readonly string[],
): Page => {
  const sign = spec.order === "asc" ? 1 : -1
  const keyed = items.map((item) => ({ item, key: keyOf(item, spec.field) }))
  keyed.sort((a, b) => sign * compare(a.key, b.key))
  const sample = keyed[0]?.key
  const start = spec.start === null ? null : parseBound(spec.start, sample)
  const end = spec.end === null ? null : parseBound(spec.end, sample)
  const inRange = keyed.filter(({ key }) => {
    if (start !== null) {
      const c = sign * compare(key, start)
      if (c < 0 || (c === 0 && spec.startExclusive)) return false
    }
    return !(end !== null && sign * compare(key, end) > 0)
  })
  const page = inRange.slice(0, spec.max)
  const headers: Record<string, string> = { "Accept-Ranges": fields.join(", ") }
  const first = page[0]
  const last = page[page.length - 1]
  if (first !== undefined && last !== undefined) {
    headers["Content-Range"] = `${spec.field} ${first.key}..${last.key}`
  }
  if (inRange.length > page.length && last !== undefined) {
    headers["Next-Range"] = `${spec.field} ]${last.key}..; max=${spec.max}, order=${spec.order}`
    return { items: page.map((p) => p.item), status: 206, headers }
  }
  return { items: page.map((p) => p.item), status: 200, headers }
}
