/**
 * The `addons` section: a list of add-ons, each matched to the live app by its attachment name
 * (`as`). Data add-ons (Postgres, Redis, Kafka and other databases) are protected: deleting or
 * replacing one is refused unless its entry says `protect: false`. `config` holds creation options,
 * sent only when the add-on is created. An `attach` entry attaches another app's add-on instead.
 */
import * as Schema from "effect/Schema"
import { section } from "../../engine/manifestSpec.ts"

/** Services whose add-ons hold data: deleting one loses it. */
export const dataServices: ReadonlyArray<string> = [
  "heroku-postgresql",
  "heroku-redis",
  "heroku-kafka",
  "heroku-key-value-store",
  "mongolab",
  "cleardb",
  "jawsdb",
  "jawsdb-maria",
  "elephantsql",
  "rediscloud",
  "redisgreen",
  "openredis",
  "memcachier",
  "bonsai",
  "searchbox",
  "cloudamqp",
]

/** `heroku-postgresql` of `heroku-postgresql:essential-0`. */
export const serviceOf = (plan: string): string => plan.split(":")[0] ?? plan

export const isDataService = (service: string): boolean => dataServices.includes(service)

const PlanName = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9.-]*$/, {
    message: () => 'expected "service:plan", e.g. "heroku-postgresql:essential-0"',
  }),
)

const AttachmentName = Schema.String.pipe(
  Schema.pattern(/^[A-Z][A-Z0-9_]*$/, {
    message: () => "expected an attachment name: uppercase letters, digits and _ (e.g. DATABASE)",
  }),
)

const EntryFields = Schema.Struct({
  plan: PlanName.annotations({ description: "service:plan, e.g. heroku-postgresql:essential-0" }),
  as: AttachmentName.annotations({
    description: "attachment name; the add-on's vars are <AS>_URL etc. Identifies the add-on",
  }),
  protect: Schema.optional(Schema.Boolean).annotations({
    description: "refuse to delete or replace it; default true for data add-ons, false otherwise",
  }),
  absent: Schema.optional(Schema.Literal(true)).annotations({
    description: "delete this add-on (destructive)",
  }),
  config: Schema.optional(
    Schema.Record({
      key: Schema.String.pipe(
        Schema.pattern(/^\w+$/, { message: () => "expected an option name (letters, digits and _)" }),
      ),
      value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean),
    }),
  ).annotations({
    description:
      "options given when the add-on is created (e.g. { version: '16' }); a later change is reported, not applied",
  }),
})

/** Whether deleting the add-on of this entry (on a live service, if known) is refused. */
export const isProtected = (
  entry: { readonly plan: string; readonly protect?: boolean | undefined },
  liveService?: string,
): boolean =>
  entry.protect ??
  (isDataService(serviceOf(entry.plan)) || (liveService !== undefined && isDataService(liveService)))

export const AddonEntry = EntryFields.pipe(
  Schema.filter((e) =>
    e.absent === true && isProtected(e)
      ? {
          path: ["absent"],
          message: `${serviceOf(e.plan)} holds data and is protected: set protect: false to delete it`,
        }
      : undefined,
  ),
)
export type AddonEntry = typeof AddonEntry.Type

/** An attachment of another app's existing add-on to this app, instead of a new add-on. */
export const AttachEntry = Schema.Struct({
  attach: Schema.Struct({
    app: Schema.String.pipe(Schema.minLength(1)).annotations({
      description: "the app that owns the add-on",
    }),
    addon: Schema.String.pipe(Schema.minLength(1)).annotations({
      description: "the add-on's name (or id), e.g. postgresql-curved-12345",
    }),
    as: AttachmentName.annotations({
      description: "attachment name on this app: sets <AS>_URL here. Identifies the attachment",
    }),
  }),
}).annotations({
  description:
    "attach another app's add-on; removing the entry detaches it (destructive), never touching the add-on",
})
export type AttachEntry = typeof AttachEntry.Type

export const isAttach = (e: AddonEntry | AttachEntry): e is AttachEntry => "attach" in e

/** The name an entry is known by on this app (`as`). */
export const nameOf = (e: AddonEntry | AttachEntry): string => (isAttach(e) ? e.attach.as : e.as)

export const AddonsSpec = Schema.Array(Schema.Union(AddonEntry, AttachEntry)).pipe(
  Schema.filter((entries) =>
    entries.flatMap((e, i) =>
      entries.findIndex((x) => nameOf(x) === nameOf(e)) < i
        ? [
            {
              path: isAttach(e) ? [i, "attach", "as"] : [i, "as"],
              message: `attachment name ${nameOf(e)} is declared twice`,
            },
          ]
        : [],
    ),
  ),
)
export type AddonsSpec = typeof AddonsSpec.Type

/** The entries that provision (or delete) an add-on of this app. */
export const ownedEntries = (desired: AddonsSpec): ReadonlyArray<AddonEntry> =>
  desired.filter((e): e is AddonEntry => !isAttach(e))

/** The entries that attach another app's add-on. */
export const attachEntries = (desired: AddonsSpec): ReadonlyArray<AttachEntry> => desired.filter(isAttach)

export const addonsSection = section(
  "addons",
  AddonsSpec,
  "add-ons, matched by attachment name; undeclared ones are left alone",
)

/** An entry's creation options as the API takes them (strings), or undefined when it has none. */
export const creationConfig = (entry: AddonEntry): Readonly<Record<string, string>> | undefined =>
  entry.config === undefined
    ? undefined
    : Object.fromEntries(Object.entries(entry.config).map(([k, v]) => [k, String(v)]))
