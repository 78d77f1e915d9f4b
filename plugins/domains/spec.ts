/** The `domains` section: the app's custom hostnames (certificates: `spec.app.acm`). */
import * as Schema from "effect/Schema"
import { section } from "../../engine/manifestSpec.ts"

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/

/** A custom hostname as Heroku accepts it (a leading `*.` label for a wildcard). */
export const Hostname = Schema.String.pipe(
  Schema.filter(
    (h) => {
      const labels = h.split(".")
      return (
        h.length <= 253 &&
        labels.length >= 2 &&
        labels.every((l, i) => LABEL.test(l) || (i === 0 && l === "*")) &&
        !/\.(herokuapp|herokudns)\.com$/.test(h)
      )
    },
    { message: () => "expected a lowercase custom hostname (api.example.com), not a herokuapp.com one" },
  ),
)

export const DomainsSpec = Schema.Array(Hostname).pipe(
  Schema.filter((hosts) =>
    hosts.flatMap((h, i) => (hosts.indexOf(h) === i ? [] : [{ path: [i], message: `${h} is listed twice` }])),
  ),
)
export type DomainsSpec = typeof DomainsSpec.Type

export const domainsSection = section(
  "domains",
  DomainsSpec,
  "the app's custom domains; undeclared ones are deleted (destructive); certificates by spec.app.acm",
)
