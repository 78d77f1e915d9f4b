/** The migrations plugin's section: the shared `database` section (its `url` and `migrations` keys). */
export {
  type DatabaseSpec,
  databaseSection,
  type MigrationsSpec,
} from "../../services/database/section.ts"
