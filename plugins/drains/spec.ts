/**
 * The `drains` section: the app's log drains, by URL. A URL often carries a token, so it may be a
 * secret reference (`{ fromEnv: LOG_DRAIN_URL }`); every drain URL is shown by fingerprint only.
 */
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { StringOrSecret, section } from "../../engine/manifestSpec.ts"

const plainOf = (v: string | Redacted.Redacted<string>): string =>
  Redacted.isRedacted(v) ? Redacted.value(v) : v

/** A drain URL's shape; the message never repeats the URL (it may carry a token). */
const urlProblem = (raw: string): string | null => {
  try {
    const url = new URL(raw)
    return ["syslog:", "syslog+tls:", "https:", "http:"].includes(url.protocol) && url.hostname !== ""
      ? null
      : "expected a syslog://, syslog+tls:// or https:// URL with a host"
  } catch {
    return "expected a log drain URL (syslog://, syslog+tls:// or https://)"
  }
}

export const DrainsSpec = Schema.Array(StringOrSecret).pipe(
  Schema.filter((drains) => {
    const urls = drains.map(plainOf)
    return urls.flatMap((u, i) => {
      const problem = urlProblem(u) ?? (urls.indexOf(u) === i ? null : "this drain URL is listed twice")
      return problem === null ? [] : [{ path: [i], message: problem }]
    })
  }),
)
export type DrainsSpec = typeof DrainsSpec.Type

export const drainsSection = section(
  "drains",
  DrainsSpec,
  "log drain URLs ({ fromEnv: NAME } for one that carries a token); undeclared drains are removed",
)

export { plainOf }
