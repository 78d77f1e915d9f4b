/** Reading request bodies defensively: the schema is stricter than real clients, so coerce. */
import { invalidParams } from "../http/errors.ts"

export type Body = Readonly<Record<string, unknown>>

export const asObject = (body: unknown): Body =>
  typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Body) : {}

export const optString = (body: Body, key: string): string | undefined => {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== "string") throw invalidParams(`${key} must be a string.`)
  return v
}

export const reqString = (body: Body, key: string): string => {
  const v = optString(body, key)
  if (v === undefined || v === "") throw invalidParams(`${key} is required.`)
  return v
}

export const optBoolean = (body: Body, key: string): boolean | undefined => {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== "boolean") throw invalidParams(`${key} must be a boolean.`)
  return v
}
