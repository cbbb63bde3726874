/**
 * Running one trigger action on the working ticket (DOMAIN.md §4): field actions change the ticket
 * and record a {@link FieldChange} each; side-effect actions come back as a {@link TriggerEffect}.
 * Used by {@link evaluate} (`engine.ts`).
 */
import type { ActionValue } from './schema';
import type { CustomFieldValue, TriggerTicket } from './ticket';
import type { EffectBase, FieldChange, TicketUpdate, TriggerEffect, TriggerSource } from './types';
import { normaliseValue, type CompiledAction } from './validate';

export const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

function tokens(value: ActionValue): string[] {
  const parts = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [String(value)];
  return parts.map((t) => t.trim()).filter((t) => t !== '');
}

/** Adds, removes or replaces tags case-insensitively; returns the new list (order kept, first spelling wins). */
function nextTags(current: readonly string[], field: 'set_tags' | 'current_tags' | 'remove_tags', value: ActionValue): string[] {
  const given = tokens(value);
  const lower = (t: string): string => t.toLowerCase();
  if (field === 'remove_tags') {
    const drop = new Set(given.map(lower));
    return current.filter((t) => !drop.has(lower(t)));
  }
  const base = field === 'set_tags' ? [] : [...current];
  const seen = new Set(base.map(lower));
  for (const t of given) {
    if (!seen.has(lower(t))) {
      seen.add(lower(t));
      base.push(t);
    }
  }
  return base;
}

export const sameTagSet = (a: readonly string[], b: readonly string[]): boolean => {
  const sa = new Set(a.map((t) => t.toLowerCase()));
  const sb = new Set(b.map((t) => t.toLowerCase()));
  return sa.size === sb.size && [...sa].every((t) => sb.has(t));
};

export interface RunState {
  ticket: TriggerTicket;
  update: TicketUpdate;
}

function setField(state: RunState, field: string, to: unknown, changes: FieldChange[]): void {
  const t = state.ticket as unknown as Record<string, unknown>;
  if (field.startsWith('custom_fields_')) {
    const id = field.slice('custom_fields_'.length);
    const from = state.ticket.custom_fields[id] ?? null;
    if (sameValue(from, to)) return;
    state.ticket.custom_fields[id] = to as CustomFieldValue;
    changes.push({ field, from, to });
    return;
  }
  const from = t[field];
  if (sameValue(from, to)) return;
  t[field] = to;
  changes.push({ field, from, to });
}

/** Ends a live messaging session in the view (reason `trigger`); no-op when there is none or it has ended. */
function endSessionFields(state: RunState, changes: FieldChange[]): boolean {
  const s = state.ticket.messaging_session_state;
  if (s !== 'active' && s !== 'inactive') return false;
  setField(state, 'messaging_session_state', 'ended', changes);
  setField(state, 'messaging_session_ended_reason', 'trigger', changes);
  setField(state, 'messaging_session_inactive_reason', null, changes);
  return true;
}

export function runAction(
  state: RunState,
  a: CompiledAction,
  source: TriggerSource,
  commentPublic: boolean,
): { changes: FieldChange[]; effect?: TriggerEffect } {
  const changes: FieldChange[] = [];
  const base: EffectBase = { source, key: `${source.triggerId ?? `title:${source.title}`}/${a.index}` };
  const v = a.value;
  const scalar = normaliseValue(Array.isArray(v) ? null : v);
  switch (a.field) {
    case 'status':
    case 'priority':
    case 'type':
    case 'brand_id':
    case 'ticket_form_id':
      setField(state, a.field, scalar, changes);
      return { changes };
    case 'group_id':
      setField(state, 'group_id', scalar, changes);
      return { changes };
    case 'assignee_id': {
      let to: string | null | undefined = scalar;
      if (scalar === 'current_user') to = state.update.current_user?.id;
      else if (scalar === 'requester_id') to = state.ticket.requester_id;
      if (to !== undefined) setField(state, 'assignee_id', to, changes);
      return { changes };
    }
    case 'set_tags':
    case 'current_tags':
    case 'remove_tags': {
      const next = nextTags(state.ticket.tags, a.field, v);
      if (!sameTagSet(next, state.ticket.tags)) {
        changes.push({ field: 'tags', from: [...state.ticket.tags], to: next });
        state.ticket.tags = next;
      }
      return { changes };
    }
    case 'set_schedule': {
      setField(state, 'schedule_id', scalar, changes);
      return changes.length > 0 ? { changes, effect: { ...base, type: 'set_schedule', scheduleId: String(scalar) } } : { changes };
    }
    case 'satisfaction_score': {
      if (state.ticket.satisfaction_score !== 'unoffered') return { changes };
      setField(state, 'satisfaction_score', 'offered', changes);
      const live = state.ticket.messaging_session_state === 'active' || state.ticket.messaging_session_state === 'inactive';
      return { changes, effect: { ...base, type: 'send_satisfaction_survey', channel: live ? 'messaging' : 'email' } };
    }
    case 'notification_user':
    case 'notification_group': {
      const [to, subject, body] = v as (string | number)[];
      return {
        changes,
        effect:
          a.field === 'notification_user'
            ? { ...base, type: 'notify_user', recipient: String(to), subject: String(subject), body: String(body) }
            : { ...base, type: 'notify_group', group: String(to), subject: String(subject), body: String(body) },
      };
    }
    case 'notification_webhook': {
      const [id, body] = v as (string | number)[];
      return { changes, effect: { ...base, type: 'notify_webhook', webhookId: String(id), body: String(body) } };
    }
    case 'comment_value':
    case 'comment_value_html': {
      const text = Array.isArray(v) ? String(v[1]) : String(v);
      return { changes, effect: { ...base, type: 'add_comment', text, html: a.field === 'comment_value_html', public: commentPublic } };
    }
    case 'comment_mode_is_public':
      return { changes };
    case 'messaging_session':
      return endSessionFields(state, changes) ? { changes, effect: { ...base, type: 'end_session' } } : { changes };
    case 'routing_channel': {
      setField(state, 'routing_channel', 'email', changes);
      const ended = endSessionFields(state, changes);
      return changes.length > 0 ? { changes, effect: { ...base, type: 'set_routing_channel', routingChannel: 'email', endsSession: ended } } : { changes };
    }
    default:
      // custom_fields_<id>
      setField(state, a.field, Array.isArray(v) ? v.map(String) : scalar, changes);
      return { changes };
  }
}
