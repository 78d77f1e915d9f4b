/**
 * Fault configuration. Route patterns look like `POST /apps/*\/config-vars`: `*` matches one path
 * segment, `**` any rest of the path, and the method may be `*`. A pattern without a method matches
 * every method.
 */
export interface FaultRule {
  /** Route pattern; absent matches every Heroku route. */
  readonly route?: string
  /** Probability in [0, 1]. */
  readonly rate: number
}

export interface ErrorRule extends FaultRule {
  /** 5xx status to answer with (default 503). */
  readonly status?: number
  /** Sends `Retry-After: <seconds>` with the answer. */
  readonly retryAfterSeconds?: number
}

export interface FaultConfig {
  /** Fixed latency added to every request. */
  readonly latencyMs?: number
  /** Extra uniformly random latency in [0, jitterMs). */
  readonly jitterMs?: number
  /** 5xx answers, decided per request before the handler runs. */
  readonly errors?: readonly ErrorRule[]
  /** With probability `rate`, a request starts a burst of `length` consecutive 429s. */
  readonly rateLimitBursts?: {
    readonly rate: number
    readonly length: number
    /** Sends `Retry-After: <seconds>` with each 429 of a burst. */
    readonly retryAfterSeconds?: number
  }
  /** The socket is destroyed before the handler runs. */
  readonly drops?: readonly FaultRule[]
  /** The handler runs (the change is committed), then the socket is destroyed unanswered. */
  readonly commitThenDrop?: readonly FaultRule[]
}

export type FaultKind = "drop" | "rate_limit" | "error" | "commit_then_drop"

const patternRegex = (pattern: string): RegExp => {
  const escaped = pattern
    .split("/")
    .map((seg) => (seg === "**" ? ".*" : seg === "*" ? "[^/]+" : seg.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("/")
  return new RegExp(`^${escaped}/?$`)
}

/** Whether a rule's route pattern matches this request. */
export const ruleMatches = (rule: FaultRule, method: string, path: string): boolean => {
  if (rule.route === undefined) return true
  const space = rule.route.indexOf(" ")
  const m = space < 0 ? "*" : rule.route.slice(0, space).toUpperCase()
  const p = space < 0 ? rule.route : rule.route.slice(space + 1).trim()
  if (m !== "*" && m !== method) return false
  return patternRegex(p).test(path)
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)

const rate = (v: unknown, where: string): number => {
  if (typeof v !== "number" || v < 0 || v > 1) throw new Error(`${where}.rate must be a number in [0, 1]`)
  return v
}

const rules = (v: unknown, where: string): FaultRule[] | undefined => {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) throw new Error(`${where} must be an array`)
  return v.map((r: unknown, i) => {
    if (!isRecord(r)) throw new Error(`${where}[${i}] must be an object`)
    if (r.route !== undefined && typeof r.route !== "string")
      throw new Error(`${where}[${i}].route must be a string`)
    const status = r.status
    if (status !== undefined && (typeof status !== "number" || status < 500 || status > 599)) {
      throw new Error(`${where}[${i}].status must be a 5xx status`)
    }
    const retryAfterSeconds = ms(r.retryAfterSeconds, `${where}[${i}].retryAfterSeconds`)
    return {
      rate: rate(r.rate, `${where}[${i}]`),
      ...(typeof r.route === "string" ? { route: r.route } : {}),
      ...(typeof status === "number" ? { status } : {}),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    }
  })
}

const ms = (v: unknown, where: string): number | undefined => {
  if (v === undefined) return undefined
  if (typeof v !== "number" || v < 0) throw new Error(`${where} must be a non-negative number`)
  return v
}

/** Validates a fault configuration read from JSON; throws with the offending path. */
export const parseFaultConfig = (value: unknown): FaultConfig => {
  if (!isRecord(value)) throw new Error("faults must be an object")
  const known = ["latencyMs", "jitterMs", "errors", "rateLimitBursts", "drops", "commitThenDrop", "seed"]
  const unknownKey = Object.keys(value).find((k) => !known.includes(k))
  if (unknownKey !== undefined) throw new Error(`faults.${unknownKey} is not a known fault setting`)
  const b = value.rateLimitBursts
  if (b !== undefined && (!isRecord(b) || typeof b.length !== "number")) {
    throw new Error("faults.rateLimitBursts must be { rate, length }")
  }
  const entries: [string, unknown][] = [
    ["latencyMs", ms(value.latencyMs, "faults.latencyMs")],
    ["jitterMs", ms(value.jitterMs, "faults.jitterMs")],
    ["errors", rules(value.errors, "faults.errors")],
    [
      "rateLimitBursts",
      b === undefined
        ? undefined
        : {
            rate: rate(b.rate, "faults.rateLimitBursts"),
            length: b.length,
            ...(b.retryAfterSeconds === undefined
              ? {}
              : { retryAfterSeconds: ms(b.retryAfterSeconds, "faults.rateLimitBursts.retryAfterSeconds") }),
          },
    ],
    ["drops", rules(value.drops, "faults.drops")],
    ["commitThenDrop", rules(value.commitThenDrop, "faults.commitThenDrop")],
  ]
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as FaultConfig
}
