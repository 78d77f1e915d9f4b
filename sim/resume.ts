/** After a restart, finishes work the previous process left in flight. */
import type { SimContext } from "./context.ts"
import { resumeDomainChecks } from "./resources/acm.ts"
import { finishProvisioning } from "./resources/addonOps.ts"

export const resumeWork = (ctx: SimContext): void => {
  for (const addon of ctx.state.addons.filter((a) => a.state === "provisioning")) {
    ctx.tasks.later(ctx.provisionDelayMs, () => finishProvisioning(ctx, addon.id))
  }
  for (const build of ctx.state.builds.filter((b) => b.status === "pending")) {
    build.status = "failed"
    build.output += "!     Build interrupted: the simulator restarted\n"
  }
  for (const promotion of ctx.state.promotions.filter((p) => p.status === "pending")) {
    for (const t of promotion.targets.filter((x) => x.status === "pending")) {
      t.status = "failed"
      t.errorMessage = "Interrupted: the simulator restarted."
    }
    promotion.status = "completed"
  }
  resumeDomainChecks(ctx)
  ctx.store.save()
}
