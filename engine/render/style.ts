/**
 * Text styling for terminal output. Renderers take a `Style` instead of deciding about colour
 * themselves, so the same renderer produces plain text for files and pipes and ANSI for a terminal.
 */

/** Wraps a piece of text in one visual style; the plain style returns it unchanged. */
export interface Style {
  readonly bold: (s: string) => string
  readonly dim: (s: string) => string
  readonly red: (s: string) => string
  readonly green: (s: string) => string
  readonly yellow: (s: string) => string
  readonly cyan: (s: string) => string
}

const identity = (s: string): string => s

/** No escape codes at all. */
export const plainStyle: Style = {
  bold: identity,
  dim: identity,
  red: identity,
  green: identity,
  yellow: identity,
  cyan: identity,
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    s === "" ? s : `\u001b[${open}m${s}\u001b[${close}m`

/** ANSI SGR codes; each style resets only its own attribute, so styles nest. */
export const ansiStyle: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
}

/** What `styleFor` looks at: whether the stream is a terminal, and the environment. */
export interface StyleOptions {
  readonly isTTY: boolean
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * ANSI only when it is wanted: a non-empty `NO_COLOR` always wins; `FORCE_COLOR` (other than "0" or
 * "false") turns colour on without a terminal; otherwise a terminal that is not `TERM=dumb`.
 */
export const styleFor = (options: StyleOptions): Style => {
  const { env, isTTY } = options
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return plainStyle
  const force = env.FORCE_COLOR
  if (force !== undefined) return force === "0" || force === "false" ? plainStyle : ansiStyle
  return isTTY && env.TERM !== "dumb" ? ansiStyle : plainStyle
}
