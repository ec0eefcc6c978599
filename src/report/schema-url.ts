// Where the published JSON Schemas live: the repository's schemas/ folder, which the build
// regenerates from the zod schemas (commit it when it changes).
export const SCHEMA_BASE_URL = 'https://raw.githubusercontent.com/ft-advisor/ft-advisor/main/schemas';
