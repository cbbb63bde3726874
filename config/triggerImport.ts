/**
 * Importing a Zendesk trigger file into the store (any envelope `importTriggers` accepts), all or
 * nothing in one SQLite transaction: a file with a single bad trigger, or a result over the active
 * limit, changes nothing. `append` (default) adds the file's triggers and updates those whose id
 * exists; `replace` makes the file the whole set (the others are deleted).
 */
import { formatProblems, importTriggers } from '../domain/triggers';
import { writeTransaction, type StoreContext } from './db';
import { importResult, planImportChanges, type ImportMode, type ImportResult } from './importPlan';
import { triggerProblemsError } from './problems';
import { unknownReferences } from './references';
import { activeCount, applyTriggerChanges, categoryOf, loadAllRows } from './triggerRows';

export type { ImportMode } from './importPlan';

/**
 * What an accepted import did; `active` counts ticket triggers, `warnings` are ignored keys and
 * actions naming a webhook or schedule that is not configured.
 */
export type TriggerImportResult = ImportResult;

/**
 * Imports parsed JSON (a bare trigger, `{ "trigger": {...} }` or a `{ "triggers": [...] }` page).
 * Ids: kept as written; triggers without one get the next numeric ids in file order. Positions:
 * a trigger without one keeps its stored position when its id exists, else goes last in its
 * category (after every position of the resulting set). `active` absent means active.
 * @throws DomainError `invalid_input` listing every problem (title, JSON path, reason with the allowed
 * values), or naming what the file is when it holds another Zendesk resource; nothing is stored then.
 */
export function importTriggerFile(ctx: StoreContext, json: unknown, mode: ImportMode, actor: string): TriggerImportResult {
  const parsed = importTriggers(json);
  if (!parsed.ok) {
    const what = parsed.kind === 'not_triggers' ? 'not a trigger file' : `import rejected, nothing changed (${parsed.rejected.length} of ${parsed.total} triggers have problems)`;
    throw triggerProblemsError(what, parsed.problems);
  }
  const limitPath = parsed.envelope === 'list' ? '$.triggers' : '$';
  return writeTransaction(ctx.db, () => {
    const rows = loadAllRows(ctx.db);
    const changes = planImportChanges({ db: ctx.db, idKind: 'trigger', rows, categoryOf, rowCategory: (r) => r.category }, parsed.triggers, mode);
    const applied = applyTriggerChanges(ctx, changes, {
      actor,
      action: 'import',
      limitPath,
      summary: (c) => `import (${mode}) of ${parsed.triggers.length}: ${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ${c.unchanged} unchanged`,
    });
    const warnings = [...formatProblems(parsed.warnings), ...unknownReferences(ctx.db, applied.stored.values())];
    return importResult(mode, parsed.triggers.length, applied, activeCount(ctx.db), warnings);
  });
}

