/** The reference-data plugin's section: the shared `database` section (its `url` and `referenceData` keys). */
export {
  type DatabaseSpec,
  DatabaseUrl,
  databaseSection,
  type ReferenceDataSpec,
} from "../../services/database/section.ts"
