/**
 * Business-hours schedules (DOMAIN.md §6; §9 rule 5), pure: schemas and normalisation
 * (`schema.ts`), Zendesk/Rails time zone names (`zones.ts`), local calendar and DST resolution
 * (`local.ts`), business-time arithmetic (`schedule.ts`).
 */
export * from './zones';
export * from './local';
export * from './schema';
export * from './schedule';
