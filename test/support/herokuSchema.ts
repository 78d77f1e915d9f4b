/**
 * The official Heroku Platform API schema (vendored verbatim, gzipped, in sim/schema/) compiled
 * with Ajv, following the recipe in shared/reference/heroku-platform-api.md §0: drop the
 * hyper-schema keys Ajv trips on (except where they are property or definition names), set `$id`,
 * and validate each link's targetSchema with refs rewritten to `heroku#/definitions/...`.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { gunzipSync } from "node:zlib"
import { Ajv, type ValidateFunction } from "ajv"
import addFormats from "ajv-formats"

export const schemaFile = fileURLToPath(
  new URL("../../sim/schema/heroku-platform-api.schema.json.gz", import.meta.url),
)

/** sha256 of the upstream file (see the reference, §0). */
export const schemaSha256 = "f8954a58ad229bf95dcdbb62df1ff5a1414e6a04bdf81422e33e43faca802202"

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

export const schemaBytes = (): Buffer => gunzipSync(readFileSync(schemaFile))

const DROP = new Set([
  "example",
  "links",
  "stability",
  "strictProperties",
  "id",
  "$schema",
  "ranges",
  "deactivate_on",
])

const clean = (node: Json, namesHere = false): Json => {
  if (Array.isArray(node)) return node.map((n) => clean(n))
  if (node === null || typeof node !== "object") return node
  const out: { [k: string]: Json } = {}
  for (const [k, v] of Object.entries(node)) {
    if (!namesHere && DROP.has(k)) continue
    if (!namesHere && k === "$ref" && typeof v === "string" && v.startsWith("#/")) out[k] = `heroku${v}`
    else out[k] = clean(v, !namesHere && (k === "properties" || k === "definitions"))
  }
  return out
}

export interface SchemaLink {
  /** `definition#Title`, e.g. `app#Info`. */
  readonly id: string
  readonly method: string
  /** The href with each `{...}` template as `*`, e.g. `/apps/ * /config-vars` without spaces. */
  readonly path: string
  readonly validate: ValidateFunction | null
}

/** Every link of the schema, each with a validator for its targetSchema. */
export const loadSchemaLinks = (): ReadonlyMap<string, SchemaLink> => {
  const raw = JSON.parse(schemaBytes().toString("utf8")) as { definitions: Record<string, Json> }
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false })
  addFormats.default(ajv)
  const root = clean(raw as unknown as Json) as { [k: string]: Json }
  // Inside `clean`, root-level `#/` refs were rewritten already; give the root its id.
  ajv.addSchema({ ...root, $id: "heroku" })
  const links = new Map<string, SchemaLink>()
  for (const [def, body] of Object.entries(raw.definitions)) {
    const list = (body as { links?: { title: string; method: string; href: string; targetSchema?: Json }[] })
      .links
    for (const link of list ?? []) {
      const href = decodeURIComponent(link.href).replace(/\{\([^)]*\)\}/g, "*")
      const validate =
        link.targetSchema === undefined ? null : ajv.compile(clean(link.targetSchema) as object)
      links.set(`${def}#${link.title}`, {
        id: `${def}#${link.title}`,
        method: link.method,
        path: href,
        validate,
      })
    }
  }
  return links
}

/** Our route pattern (`/apps/:app`) in the schema's form (`/apps/*`). */
export const patternToSchemaPath = (pattern: string): string => pattern.replace(/:[a-z_]+/gi, "*")
