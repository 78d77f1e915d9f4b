/**
 * What counts as a secret beyond `{ fromEnv }`: names that commonly hold one, values that carry
 * credentials, the secret values a run knows, and scrubbing them from text (child-process output).
 * A value is shown in clear only when it is known plain; anything else is fingerprinted.
 */
import * as Redacted from "effect/Redacted"

/** Words in a name that commonly mark a secret (`JWT_SECRET`, `API_TOKEN`, `DB_PASSWORD`, ...). */
const secretWords =
  /(SECRET|TOKEN|PASSW(OR)?D|PASSPHRASE|CREDENTIAL|PRIVATE|AUTH|SALT|DSN|(^|_)PASS$|(^|_|API|ACCESS)KEY($|_|S$)|_KEY$)/i

/** Connection URLs that add-ons set and that always carry credentials. */
const credentialUrls =
  /^(DATABASE|REDIS|REDIS_TLS|REDISCLOUD|REDISTOGO|OPENREDIS|MONGODB|MONGOLAB|MONGO|RABBITMQ|CLOUDAMQP|AMQP|MEMCACHIER|MEMCACHEDCLOUD|ELASTICSEARCH|BONSAI|SEARCHBOX|KAFKA|STACKHERO_[A-Z0-9_]+)_UR[LI]$|^HEROKU_(POSTGRESQL|REDIS|KAFKA)_|_DATABASE_URL$/i

/** True when the name alone says the value is probably a secret. */
export const looksSecretName = (name: string): boolean => secretWords.test(name) || credentialUrls.test(name)

/** True when the value carries credentials: a URL with user info, or a token-like query parameter. */
export const carriesCredentials = (value: string): boolean =>
  /[a-z][a-z0-9+.-]*:\/\/[^/\s@]+@/i.test(value) ||
  /[?&](token|access_token|api_?key|key|secret|password|passwd|pwd|sig|signature|auth)=/i.test(value)

/** True only when both the name and the value are known not to be secret. */
export const isKnownPlain = (name: string, value: string): boolean =>
  !looksSecretName(name) && !carriesCredentials(value)

/** Values shorter than this are never scrubbed (a `1` or `true` would mangle every line). */
const minScrubLength = 4

/** Every `Redacted` string inside a decoded spec (the manifest's `{ fromEnv }` secrets). */
export const redactedValuesIn = (value: unknown, seen = new Set<unknown>()): ReadonlyArray<string> => {
  if (Redacted.isRedacted(value)) {
    const v = Redacted.value(value)
    return typeof v === "string" ? [v] : []
  }
  if (value === null || typeof value !== "object" || seen.has(value)) return []
  seen.add(value)
  const children = Array.isArray(value) ? value : Object.values(value)
  return children.flatMap((c) => redactedValuesIn(c, seen))
}

/** The values of the runner's variables whose names look secret, or that carry credentials. */
export const secretValuesOfEnv = (env: Readonly<Record<string, string | undefined>>): ReadonlyArray<string> =>
  Object.entries(env).flatMap(([k, v]) =>
    v !== undefined && (looksSecretName(k) || carriesCredentials(v)) ? [v] : [],
  )

/**
 * Replaces every occurrence of the given secret values with `***` (longest first, so a secret that
 * contains another is replaced whole). Also strips the password of any URL with user info.
 */
export const scrubSecrets = (text: string, secrets: ReadonlyArray<string>): string => {
  const values = [...new Set(secrets)]
    .filter((s) => s.length >= minScrubLength)
    .sort((a, b) => b.length - a.length)
  let out = text
  for (const s of values) out = out.split(s).join("***")
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^/\s@]+@/gi, "$1:***@")
}
