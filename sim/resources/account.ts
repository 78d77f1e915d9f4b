/** The one simulated account and its rate-limit budget. */
import type { SimContext } from "../context.ts"
import { json } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"

export const accountRoutes = (ctx: SimContext, remaining: () => number): Route[] => [
  route("GET", "/account", "account#Info", () => {
    const a = ctx.state.account
    return json({
      id: a.id,
      email: a.email,
      name: "Heroku Simulator",
      allow_tracking: false,
      beta: false,
      federated: false,
      identity_provider: null,
      last_login: a.createdAt,
      sms_number: null,
      suspended_at: null,
      delinquent_at: null,
      two_factor_authentication: false,
      verified: true,
      country_of_residence: null,
      default_organization: null,
      default_team: null,
      created_at: a.createdAt,
      updated_at: a.createdAt,
    })
  }),
  route("GET", "/account/rate-limits", "rate-limit#Info", () => json({ remaining: remaining() })),
]
