/**
 * Messaging triggers (DOMAIN.md §4), pure domain: a separate kind from ticket triggers, run on one
 * messaging event (`conversation_requested`, `message_sent`, `added_to_queue`,
 * `assigned_from_queue`), never once the session has ended. The catalogue of events, conditions and
 * actions (`catalog.ts`), the JSON model (`schema.ts`), checks against the catalogue
 * (`validate.ts`), import/export (`import.ts`), condition evaluation (`conditions.ts`) and the engine
 * (`engine.ts`).
 */
export * from './catalog';
export * from './schema';
export * from './validate';
export * from './import';
export * from './conditions';
export * from './engine';
