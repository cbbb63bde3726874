/**
 * Rejections of the configuration store as {@link DomainError}s: every problem with its JSONPath
 * (`$` = the input as given), the trigger title where there is one, and the allowed values.
 */
import type { z } from 'zod';
import { DomainError, type DomainIssue } from '../domain/errors';
import { formatProblems, type TriggerProblem } from '../domain/triggers';

/** `['triggers', 0, 'title']` under `$` → `$.triggers[0].title`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>, base = '$'): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), base);
}

/** `invalid_input` listing trigger problems one per line (`"title" $.path: reason`, as the import reports them). */
export function triggerProblemsError(what: string, problems: readonly TriggerProblem[]): DomainError {
  const lines = formatProblems(problems);
  return new DomainError(
    'invalid_input',
    `${what}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}\n${lines.join('\n')}`,
    problems.map((p) => ({ path: p.path, title: p.title, message: p.reason })),
  );
}

/** `invalid_input` from a zod error: one issue per zod issue, enum issues naming the allowed values. */
export function zodProblemsError(what: string, error: z.ZodError, base = '$'): DomainError {
  const issues: DomainIssue[] = error.issues.map((i) => {
    const allowed = (i as { values?: unknown[] }).values;
    return { path: jsonPath(i.path, base), message: allowed ? `${i.message}; allowed: ${allowed.join(', ')}` : i.message };
  });
  return issuesError(what, issues);
}

/** `invalid_input` listing `issues` one per line as `$.path: message`. */
export function issuesError(what: string, issues: DomainIssue[]): DomainError {
  return new DomainError('invalid_input', `${what}:\n${issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`, issues);
}
