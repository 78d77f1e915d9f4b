/**
 * The platform's catalogs, as read-only routes: dyno sizes (`/dyno-sizes`, per app
 * `/apps/{app}/available-dyno-sizes`), add-on services and their plans. A client checks a size or a
 * plan here before asking for it; asking for an unknown one elsewhere is a 422 `invalid_params`.
 */
import type { SimContext } from "../context.ts"
import { notFound } from "../http/errors.ts"
import { json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import {
  type AddonService,
  addonServices,
  dynoSizeFacts,
  dynoSizes,
  findDynoSize,
  findPlan,
  ref,
  stableId,
} from "../state/catalog.ts"
import { findApp } from "./lookup.ts"

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)

const catalogDate = "2024-01-01T00:00:00Z"

const renderSize = (name: string) => {
  const facts = dynoSizeFacts(name)
  const isolated = /^(Private|Shield)-/.test(name)
  return {
    id: stableId("dyno-size", name),
    name,
    architecture: "amd64",
    compute: facts.compute,
    memory: facts.memory,
    cost: { cents: facts.cents, unit: "month" },
    dedicated: /^(Performance|Private|Shield)-/.test(name),
    precise_dyno_units: Math.round((facts.cents / 2500) * 100) / 100,
    private_space_only: isolated,
    generation: ref("generation", "cedar"),
  }
}

const findSize = (key: string): string => {
  const size = findDynoSize(key) ?? dynoSizes.find((s) => stableId("dyno-size", s) === key)
  if (size === undefined) throw notFound("dyno_size", "dyno size")
  return size
}

const findService = (key: string): AddonService => {
  const service = addonServices.find((s) => s.name === key || stableId("addon-service", s.name) === key)
  if (service === undefined) throw notFound("addon_service", "add-on service")
  return service
}

const renderService = (s: AddonService) => ({
  id: stableId("addon-service", s.name),
  name: s.name,
  human_name: s.humanName,
  cli_plugin_name: null,
  state: "ga",
  supports_multiple_installations: s.name === "heroku-postgresql",
  supports_sharing: s.name === "heroku-postgresql" || s.name === "heroku-redis",
  supported_generations: [ref("generation", "cedar")],
  created_at: catalogDate,
  updated_at: catalogDate,
})

const renderPlan = (s: AddonService, plan: string) => ({
  id: stableId("plan", `${s.name}:${plan}`),
  name: `${s.name}:${plan}`,
  human_name: plan.replace(
    /(^|-)(\w)/g,
    (_, dash: string, c: string) => `${dash === "" ? "" : " "}${c.toUpperCase()}`,
  ),
  description: `${s.humanName} ${plan}`,
  addon_service: { id: stableId("addon-service", s.name), name: s.name },
  compliance: null,
  default: s.plans[0] === plan,
  installable_inside_private_network: false,
  installable_outside_private_network: true,
  price: { cents: s.cents, contract: false, unit: "month" },
  space_default: false,
  state: "public",
  visible: true,
  created_at: catalogDate,
  updated_at: catalogDate,
})

const findPlanIn = (s: AddonService, key: string): string => {
  const plan = s.plans.find(
    (p) => p === key || `${s.name}:${p}` === key || stableId("plan", `${s.name}:${p}`) === key,
  )
  if (plan === undefined) throw notFound("plan", "add-on plan")
  return plan
}

export const catalogRoutes = (ctx: SimContext): Route[] => [
  route("GET", "/dyno-sizes", "dyno-size#List", () => list(dynoSizes.map(renderSize), ["id", "name"])),
  route("GET", "/dyno-sizes/:size", "dyno-size#Info", (req) => json(renderSize(findSize(req.params.size!)))),
  route("GET", "/apps/:app/available-dyno-sizes", "dyno-size#List App Dyno Sizes", (req) => {
    findApp(ctx, req.params.app!)
    return list(dynoSizes.filter((s) => !/^(Private|Shield)-/.test(s)).map(renderSize), ["id", "name"])
  }),
  route("GET", "/addon-services", "add-on-service#List", () =>
    list(addonServices.map(renderService), ["id", "name"]),
  ),
  route("GET", "/addon-services/:service", "add-on-service#Info", (req) =>
    json(renderService(findService(req.params.service!))),
  ),
  route("GET", "/addon-services/:service/plans", "plan#List By Add-on", (req) => {
    const s = findService(req.params.service!)
    return list(
      s.plans.map((p) => renderPlan(s, p)),
      ["id", "name"],
    )
  }),
  route("GET", "/addon-services/:service/plans/:plan", "plan#Info By Add-on", (req) => {
    const s = findService(req.params.service!)
    return json(renderPlan(s, findPlanIn(s, req.params.plan!)))
  }),
  route("GET", "/plans/:plan", "plan#Info", (req) => {
    const found =
      req.params.plan!.includes(":") || isUuid(req.params.plan!) ? findPlan(req.params.plan!) : undefined
    if (found === undefined) throw notFound("plan", "add-on plan")
    return json(renderPlan(found.service, found.plan))
  }),
]
