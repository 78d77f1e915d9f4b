/** Every Heroku route the simulator implements, in one table. */
import type { SimContext } from "./context.ts"
import { dataApiRoutes } from "./dataapi/routes.ts"
import type { Route } from "./http/router.ts"
import { accountRoutes } from "./resources/account.ts"
import { acmRoutes } from "./resources/acm.ts"
import { addonRoutes } from "./resources/addons.ts"
import { appRoutes } from "./resources/apps.ts"
import { attachmentRoutes } from "./resources/attachments.ts"
import { buildRoutes } from "./resources/builds.ts"
import { catalogRoutes } from "./resources/catalogs.ts"
import { configRoutes } from "./resources/config.ts"
import { domainRoutes } from "./resources/domains.ts"
import { drainRoutes } from "./resources/drains.ts"
import { dynoRoutes } from "./resources/dynos.ts"
import { featureRoutes } from "./resources/features.ts"
import { filterRoutes } from "./resources/filters.ts"
import { formationRoutes } from "./resources/formation.ts"
import { pipelineRoutes } from "./resources/pipelines.ts"
import { promotionRoutes } from "./resources/promotions.ts"
import { releaseRoutes } from "./resources/releases.ts"
import { sniEndpointRoutes } from "./resources/sniEndpoints.ts"

export const allRoutes = (ctx: SimContext, remaining: () => number): Route[] => [
  ...accountRoutes(ctx, remaining),
  ...appRoutes(ctx),
  ...addonRoutes(ctx),
  ...attachmentRoutes(ctx),
  ...configRoutes(ctx),
  ...formationRoutes(ctx),
  ...dynoRoutes(ctx),
  ...releaseRoutes(ctx),
  ...buildRoutes(ctx),
  ...pipelineRoutes(ctx),
  ...promotionRoutes(ctx),
  ...filterRoutes(ctx),
  ...domainRoutes(ctx),
  ...acmRoutes(ctx),
  ...sniEndpointRoutes(ctx),
  ...drainRoutes(ctx),
  ...featureRoutes(ctx),
  ...catalogRoutes(ctx),
  ...dataApiRoutes(ctx),
]
