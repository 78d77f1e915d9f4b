/** Durations as people write them in a manifest: `500ms`, `30s`, `10m`, `2h`. */
import * as Duration from "effect/Duration"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

const pattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/
const units = { ms: "millis", s: "seconds", m: "minutes", h: "hours" } as const

export const DurationString = Schema.transformOrFail(
  Schema.String.annotations({
    description: "a duration such as 500ms, 30s, 10m or 2h",
    jsonSchema: { type: "string", pattern: "^\\d+(\\.\\d+)?\\s*(ms|s|m|h)$" },
  }),
  Schema.DurationFromSelf,
  {
    strict: true,
    decode: (text, _, ast) => {
      const m = pattern.exec(text.trim())
      if (!m)
        return ParseResult.fail(
          new ParseResult.Type(ast, text, `expected a duration like 30s or 10m, got "${text}"`),
        )
      const unit = units[m[2] as keyof typeof units]
      return ParseResult.succeed(Duration.decode(`${Number(m[1])} ${unit}`))
    },
    encode: (d) => ParseResult.succeed(`${Duration.toMillis(d)}ms`),
  },
)
