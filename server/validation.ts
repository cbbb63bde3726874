/** Request validation with zod, reported with JSON paths (e.g. `$.events[0].type`) and allowed values. */
import type { z } from 'zod';

/** One problem found in a request body. */
export interface ValidationIssue {
  /** JSON path of the offending value, `$` being the body. */
  path: string;
  message: string;
  /** Allowed values, when the field is an enum or literal. */
  allowed?: unknown[];
}

/** A request that failed validation; the HTTP layer answers 400 with {@link issues}. */
export class RequestValidationError extends Error {
  constructor(
    readonly where: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'RequestValidationError';
  }
}

/** Formats a zod path as a JSON path: ['events', 0, 'type'] → `$.events[0].type`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), '$');
}

/** Turns a zod error into issues with JSON paths (under `prefix`) and allowed values for enums/literals. */
export function issuesOf(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): ValidationIssue[] {
  return error.issues.map((issue) => {
    const allowed = (issue as { values?: unknown[] }).values;
    return { path: jsonPath([...prefix, ...issue.path]), message: issue.message, ...(allowed ? { allowed } : {}) };
  });
}

/**
 * Parses `input` with `schema`.
 * @throws RequestValidationError listing every issue with its JSON path and allowed values.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new RequestValidationError(where, issuesOf(result.error));
}
