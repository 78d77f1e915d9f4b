/** The backup plugin's section: the shared `database` section (its `backup` and `url` keys). */
export { type DatabaseSpec, databaseSection } from "../../services/database/section.ts"
