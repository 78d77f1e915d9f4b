/**
 * Cutting markdown to fit GitHub's size limits (1 MiB per job summary, 65,536 characters per comment
 * or issue body) without splitting a UTF-8 character, with a note saying it was cut.
 */

/** Bytes of `s` in UTF-8. */
export const utf8Length = (s: string): number => Buffer.byteLength(s, "utf8")

/** `text` unchanged when it fits in `maxBytes`; else its start plus `note`, together within `maxBytes`. */
export const truncateUtf8 = (text: string, maxBytes: number, note: string): string => {
  if (utf8Length(text) <= maxBytes) return text
  const tail = `\n\n${note}\n`
  const room = Math.max(0, maxBytes - utf8Length(tail))
  const cut = Buffer.from(text, "utf8").subarray(0, room).toString("utf8")
  // A split character decodes as U+FFFD; drop it, and any cut line, to keep the markdown well formed.
  const clean = cut.replace(/\uFFFD+$/, "")
  const lastLine = clean.lastIndexOf("\n")
  return `${lastLine > 0 ? clean.slice(0, lastLine) : clean}${tail}`
}
