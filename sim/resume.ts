/** After a restart, finishes work the previous process left in flight. */
import type { SimContext } from "./context.ts"
import { resumeDomainChecks } from "./resources/acm.ts"
import { finishProvisioning, provisionDatabase } from "./resources/addonOps.ts"
import { postgresService } from "./state/catalog.ts"

export const resumeWork = (ctx: SimContext): void => {
  for (const addon of ctx.state.addons.filter((a) => a.state === "provisioning")) {
    // a Postgres add-on recorded before its database was made: make it now
    if (addon.service === postgresService && addon.database === null)
      ctx.tasks.run(() => provisionDatabase(ctx, addon.id))
    else ctx.tasks.later(ctx.provisionDelayMs, () => finishProvisioning(ctx, addon.id))
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
