/**
 * The machine-readable form: the Schema encoding of `Plan` and `Summary`, pretty-printed. Both carry
 * `kind` and `formatVersion`, and decode back through the same schemas (saved plans, CI tooling).
 */
import * as Schema from "effect/Schema"
import { Summary } from "../apply/Summary.ts"
import { Plan } from "../plan/Plan.ts"

const encodePlan = Schema.encodeSync(Plan)
const encodeSummary = Schema.encodeSync(Summary)
const decodePlan = Schema.decodeUnknownSync(Schema.parseJson(Plan))
const decodeSummary = Schema.decodeUnknownSync(Schema.parseJson(Summary))

/** The plan as indented JSON (no trailing newline). */
export const renderPlanJson = (plan: Plan): string => JSON.stringify(encodePlan(plan), null, 2)

/** The summary as indented JSON (no trailing newline). */
export const renderSummaryJson = (summary: Summary): string => JSON.stringify(encodeSummary(summary), null, 2)

/** Parses and validates plan JSON; throws a `ParseError` when it is not a plan of this format. */
export const decodePlanJson = (text: string): Plan => decodePlan(text)

/** Parses and validates summary JSON; throws a `ParseError` when it is not a summary of this format. */
export const decodeSummaryJson = (text: string): Summary => decodeSummary(text)
