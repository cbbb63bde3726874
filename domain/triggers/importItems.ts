/**
 * The per-item loop that the ticket-trigger import (`import.ts`) and the messaging-trigger import
 * (domain/messagingTriggers/import.ts) share: every item checked in file order, a repeated id
 * reported at its path, and at most {@link MAX_REPORTED_PROBLEMS} problems listed (the items
 * after that are counted, not checked). Pure; no I/O.
 */
import type { TriggerProblem } from './validate';

/** Most problems one failed import reports (**ours**); the rest are counted, not listed. */
export const MAX_REPORTED_PROBLEMS = 1_000;

/** Problems of one rejected trigger. */
export interface RejectedTrigger {
  index: number;
  title: string | null;
  path: string;
  problems: TriggerProblem[];
}

/** One item of an import file, with the JSONPath it stands at. */
export interface ImportItem {
  item: unknown;
  base: string;
}

/** What {@link checkImportItems} found. */
export interface CheckedImportItems<T> {
  /** The items without problems, in file order. */
  triggers: T[];
  /** Every problem listed, in file order. */
  problems: TriggerProblem[];
  rejected: RejectedTrigger[];
  /** Items left unchecked once {@link MAX_REPORTED_PROBLEMS} problems were listed. */
  unlisted: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks `items` in file order with `checkOne`, adding a `duplicate id` problem to an item whose id
 * (number or text, compared as text) an earlier item has. Once {@link MAX_REPORTED_PROBLEMS}
 * problems are listed, the remaining items are only counted (`unlisted`; see {@link unlistedProblem}).
 * The title of a duplicate-id problem is `duplicateTitle` of the checked trigger when given, else
 * the item's title as written; a rejected trigger is always named by its title as written.
 */
export function checkImportItems<T>(
  items: readonly ImportItem[],
  checkOne: (item: unknown, base: string, index: number) => { trigger: T | null; problems: TriggerProblem[] },
  duplicateTitle?: (checked: T | null) => string | null,
): CheckedImportItems<T> {
  const triggers: T[] = [];
  const problems: TriggerProblem[] = [];
  const rejected: RejectedTrigger[] = [];
  const seenIds = new Map<string, string>();
  let unlisted = 0;
  items.forEach(({ item, base }, index) => {
    if (problems.length >= MAX_REPORTED_PROBLEMS) {
      unlisted += 1;
      return;
    }
    const one = checkOne(item, base, index);
    const title = isObject(item) && typeof item.title === 'string' ? item.title : null;
    const id = isObject(item) && (typeof item.id === 'number' || typeof item.id === 'string') ? String(item.id) : null;
    if (id !== null) {
      const first = seenIds.get(id);
      const problemTitle = duplicateTitle ? duplicateTitle(one.trigger) : title;
      if (first) one.problems.push({ path: `${base}.id`, title: problemTitle, triggerIndex: index, reason: `duplicate id ${id} (first at ${first})` });
      else seenIds.set(id, base);
    }
    if (one.problems.length > 0) {
      problems.push(...one.problems);
      rejected.push({ index, title, path: base, problems: one.problems });
    } else if (one.trigger) triggers.push(one.trigger);
  });
  return { triggers, problems, rejected, unlisted };
}

/** The file-level problem saying how many items were not checked because the problem list was full. */
export function unlistedProblem(unlisted: number): TriggerProblem {
  return { path: '$', title: null, triggerIndex: null, reason: `${unlisted} more triggers were not checked: only the first ${MAX_REPORTED_PROBLEMS} problems are listed` };
}
