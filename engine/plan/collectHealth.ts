/** Gathers per-resource health from every plugin's observation into plan data (see Health.ts). */
import type { RunContext } from "../plugin/Plugin.ts"
import { ResourceHealth } from "./Health.ts"
import { waveIndex } from "./order.ts"
import type { Observation } from "./planner.ts"

/** Every plugin's health reports at `now`, as plan data in plugin wave order. */
export const healthOf = <R>(
  observations: ReadonlyArray<Observation<R>>,
  ctx: RunContext,
  now: Date,
): ReadonlyArray<ResourceHealth> =>
  [...observations]
    .sort((a, b) => waveIndex(a.plugin.wave) - waveIndex(b.plugin.wave))
    .flatMap(({ plugin, desired, live }) =>
      (plugin.health?.(desired, live, ctx, now) ?? []).map(
        (h) =>
          new ResourceHealth({
            resource: h.resource,
            plugin: plugin.name,
            state: h.state,
            detail: h.detail,
            ...(h.facts === undefined ? {} : { facts: { ...h.facts } }),
          }),
      ),
    )
