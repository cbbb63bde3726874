/**
 * Placeholders in trigger notifications and webhook bodies (`{{ticket.id}}`,
 * `{{ticket.requester.name}}`...), rendered with liquidjs — Zendesk placeholders are Liquid.
 * Unknown placeholders render as empty text, as in Zendesk. In JSON webhook bodies every value is
 * JSON-escaped (quotes, backslashes, newlines), so a requester named `Ann "A" Lee` cannot break the
 * body — **ours**; Zendesk inserts values raw.
 */
import { Liquid } from 'liquidjs';
import type { Placeholders } from '../domain/conversation';

const plain = new Liquid({ strictVariables: false, strictFilters: false });
const json = new Liquid({
  strictVariables: false,
  strictFilters: false,
  outputEscape: (value: unknown) => JSON.stringify(value === null || value === undefined ? '' : String(value)).slice(1, -1),
});

/**
 * Renders a template with the placeholder values. A template Liquid cannot parse is returned as
 * written (the admin sees the raw text rather than losing the notification).
 * @param mode `json` escapes every inserted value for a JSON string context.
 */
export async function renderTemplate(template: string, values: Placeholders, mode: 'text' | 'json' = 'text'): Promise<string> {
  try {
    return String(await (mode === 'json' ? json : plain).parseAndRender(template, values));
  } catch {
    return template;
  }
}
