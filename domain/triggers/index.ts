/**
 * Zendesk-compatible ticket triggers (DOMAIN.md §4), pure domain: the JSON model and its import and
 * export (`schema.ts`, `import.ts`), the catalogue of fields, operators and values (`catalog.ts`),
 * checks against it (`validate.ts`), the trigger view of a ticket (`ticket.ts`), condition
 * evaluation (`conditions.ts`) and the engine (`engine.ts`, which re-exports the public names of
 * `types.ts` and `triggerSet.ts`; running actions is in `actions.ts`).
 */
export * from './catalog';
export * from './schema';
export * from './validate';
export * from './ticket';
export * from './conditions';
export * from './import';
export * from './engine';
