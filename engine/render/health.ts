/**
 * How per-resource health reads in the text and markdown renderers: one line (or table row) per
 * resource with a state symbol, and a closing line naming the health problems. Pure.
 */
import type { HealthState, ResourceHealth } from "../plan/Health.ts"
import { unhealthyOf } from "../plan/Health.ts"
import type { Style } from "./style.ts"

export const healthSymbol: Readonly<Record<HealthState, string>> = {
  healthy: "✓",
  progressing: "…",
  unhealthy: "✗",
  unknown: "?",
}

const healthColour = (style: Style): Readonly<Record<HealthState, (s: string) => string>> => ({
  healthy: style.green,
  progressing: style.yellow,
  unhealthy: style.red,
  unknown: style.dim,
})

/** `✗ dynos/web: 1 crashed of 1 [unhealthy]`; a healthy resource goes without the state word. */
const healthLine = (h: ResourceHealth, style: Style): string => {
  const state = h.state === "healthy" ? "" : ` [${h.state}]`
  const text = `${h.resource}: ${h.detail}${state}`
  return `  ${healthColour(style)[h.state](healthSymbol[h.state])} ${h.state === "unhealthy" ? style.red(text) : text}`
}

/** `Unhealthy: dynos/web: 1 crashed of 1.`, or undefined when every resource is fine. */
export const unhealthySentence = (health: ReadonlyArray<ResourceHealth>): string | undefined => {
  const bad = unhealthyOf(health)
  if (bad.length === 0) return undefined
  return `Unhealthy: ${bad.map((h) => `${h.resource}: ${h.detail}`).join("; ")}.`
}

/** The text block: a heading and one line per resource; nothing when no health was reported. */
export const healthText = (health: ReadonlyArray<ResourceHealth> | undefined, style: Style) =>
  health === undefined || health.length === 0
    ? []
    : [style.bold("Health:"), ...health.map((h) => healthLine(h, style))]

/** The markdown block: a table of resources; nothing when no health was reported. */
export const healthMarkdown = (
  health: ReadonlyArray<ResourceHealth> | undefined,
  cell: { readonly text: (s: string) => string; readonly code: (s: string) => string },
): ReadonlyArray<string> =>
  health === undefined || health.length === 0
    ? []
    : [
        "**Health:**",
        "",
        "| | Resource | State | Detail |",
        "| --- | --- | --- | --- |",
        ...health.map(
          (h) =>
            `| ${healthSymbol[h.state]} | ${cell.code(h.resource)} | ${h.state === "unhealthy" ? "**unhealthy**" : h.state} | ${cell.text(h.detail)} |`,
        ),
      ]
