/**
 * The renderers' front door: the CLI picks a format and a style, and gets a string to print.
 */
import type { Summary } from "../apply/Summary.ts"
import type { Plan } from "../plan/Plan.ts"
import { renderPlanJson, renderSummaryJson } from "./json.ts"
import { renderPlanMarkdown, renderSummaryMarkdown } from "./markdown.ts"
import type { Style } from "./style.ts"
import { renderPlanText, renderSummaryText } from "./text.ts"

export type OutputFormat = "text" | "json" | "markdown"

export const outputFormats: ReadonlyArray<OutputFormat> = ["text", "json", "markdown"]

/** The plan in the given format; `style` matters only for text. */
export const renderPlan = (plan: Plan, format: OutputFormat, style: Style): string => {
  switch (format) {
    case "text":
      return renderPlanText(plan, style)
    case "json":
      return renderPlanJson(plan)
    case "markdown":
      return renderPlanMarkdown(plan)
  }
}

/** The apply summary in the given format; `style` matters only for text. */
export const renderSummary = (summary: Summary, format: OutputFormat, style: Style): string => {
  switch (format) {
    case "text":
      return renderSummaryText(summary, style)
    case "json":
      return renderSummaryJson(summary)
    case "markdown":
      return renderSummaryMarkdown(summary)
  }
}

export { decodePlanJson, decodeSummaryJson, renderPlanJson, renderSummaryJson } from "./json.ts"
export { type MarkdownOptions, renderPlanMarkdown, renderSummaryMarkdown } from "./markdown.ts"
export { ansiStyle, plainStyle, type Style, type StyleOptions, styleFor } from "./style.ts"
export { renderPlanText, renderSummaryText } from "./text.ts"
