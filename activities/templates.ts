/**
 * Placeholders in trigger notifications and webhook bodies (`{{ticket.id}}`,
 * `{{ticket.requester.name}}`...), rendered with liquidjs — Zendesk placeholders are Liquid.
 * Unknown placeholders render as empty text, as in Zendesk. In JSON webhook bodies every value is
 * JSON-escaped (quotes, backslashes, newlines), so a requester named `Ann "A" Lee` cannot break the
 * body — **ours**; Zendesk inserts values raw.
 */
import { Liquid } from 'liquidjs';
import type { Placeholders } from '../domain/conversation';

/**
 * DoS limits (an admin's template must never stall the worker): templates up to 100,000 characters,
 * at most 250 ms and about a million allocated items per render (liquidjs checks them as it goes).
 */
const LIMITS = { parseLimit: 100_000, renderLimit: 250, memoryLimit: 1_000_000 } as const;
/** Longest rendered text kept, in characters; the rest is cut (**ours**). */
export const MAX_RENDERED_CHARS = 100_000;

const plain = new Liquid({ strictVariables: false, strictFilters: false, ...LIMITS });
const json = new Liquid({
  strictVariables: false,
  strictFilters: false,
  ...LIMITS,
  outputEscape: (value: unknown) => JSON.stringify(value === null || value === undefined ? '' : String(value)).slice(1, -1),
});

/**
 * Renders a template with the placeholder values. A template Liquid cannot parse, or one that
 * exceeds the limits above, is returned as written (the admin sees the raw text rather than losing
 * the notification); output beyond {@link MAX_RENDERED_CHARS} is cut.
 * @param mode `json` escapes every inserted value for a JSON string context.
 */
export async function renderTemplate(template: string, values: Placeholders, mode: 'text' | 'json' = 'text'): Promise<string> {
  try {
    const out = String(await (mode === 'json' ? json : plain).parseAndRender(template, values, { templateLimit: 100_000 }));
    return out.length > MAX_RENDERED_CHARS ? out.slice(0, MAX_RENDERED_CHARS) : out;
  } catch {
    return template;
  }
}
