/**
 * Messaging-trigger JSON (domain/messagingTriggers/import.ts, validate.ts): the three envelopes,
 * export round trip, all-or-nothing, and every kind of problem with its JSON path and allowed values.
 */
import {
  MESSAGING_ACTION_FIELDS,
  MESSAGING_CONDITION_FIELDS,
  MESSAGING_EVENTS,
  exportMessagingTrigger,
  exportMessagingTriggers,
  importMessagingTriggers,
  type MessagingTriggerImport,
} from '../../domain/messagingTriggers';
import { parseScheduleBook } from '../../domain/schedules';
import { formatProblems } from '../../domain/triggers';

const good = {
  id: 7,
  title: 'Greeting',
  active: true,
  position: 2,
  event: 'conversation_requested',
  conditions: { all: [{ field: 'hour_of_day', operator: 'less_than', value: 9, time_zone: 'Europe/Berlin' }] },
  actions: [
    { field: 'send_message', value: { text: 'Hello' } },
    { field: 'wait', value: 30 },
    { field: 'add_tags', value: ['early', 'bird'] },
  ],
};

function lines(r: MessagingTriggerImport): string[] {
  if (r.ok) throw new Error('expected problems');
  return formatProblems(r.problems);
}

function one(trigger: Record<string, unknown>): string[] {
  return lines(importMessagingTriggers({ messaging_triggers: [trigger] }));
}

const withCondition = (c: Record<string, unknown>, event = 'message_sent'): Record<string, unknown> => ({
  title: 'T',
  event,
  conditions: { all: [c] },
  actions: [{ field: 'send_message', value: 'hi' }],
});

describe('envelopes and round trip', () => {
  it('accepts a bare trigger, {messaging_trigger} and {messaging_triggers}', () => {
    const bare = importMessagingTriggers(good);
    const single = importMessagingTriggers({ messaging_trigger: good });
    const list = importMessagingTriggers({ messaging_triggers: [good, { ...good, id: 8 }] });
    expect(bare).toMatchObject({ ok: true, envelope: 'bare' });
    expect(single).toMatchObject({ ok: true, envelope: 'single' });
    expect(list).toMatchObject({ ok: true, envelope: 'list' });
    expect(list.ok && list.triggers).toHaveLength(2);
  });

  it('exports the same JSON back', () => {
    const input = { messaging_triggers: [good, { ...good, id: 'x', conditions: { any: [{ field: 'current_tags', operator: 'includes', value: 'vip' }] } }] };
    const r = importMessagingTriggers(input);
    if (!r.ok) throw new Error(formatProblems(r.problems).join('\n'));
    expect(exportMessagingTriggers(r.triggers)).toEqual(input);
    expect(importMessagingTriggers(exportMessagingTriggers(r.triggers))).toEqual(r);
    const exported = exportMessagingTrigger(r.triggers[0]);
    (exported.actions as { value: unknown }[])[2].value = 'changed';
    expect(r.triggers[0].actions[2].value).toEqual(['early', 'bird']);
  });

  it('accepts empty conditions (fires on every event of its kind)', () => {
    expect(importMessagingTriggers({ ...good, conditions: {} }).ok).toBe(true);
    expect(importMessagingTriggers({ ...good, conditions: { all: [], any: [] } }).ok).toBe(true);
  });

  it('warns about keys it ignores, and keeps the trigger', () => {
    const r = importMessagingTriggers({ ...good, _note: 'x' });
    expect(r.ok).toBe(true);
    expect(formatProblems(r.warnings)).toEqual(['"Greeting" $._note: ignored: "_note" is not a messaging trigger property']);
  });
});

describe('problems: title, JSON path, reason with allowed values', () => {
  it('both all and any → rejected', () => {
    expect(one({ ...good, conditions: { all: good.conditions.all, any: [{ field: 'current_tags', operator: 'includes', value: 'a' }] } })).toEqual([
      '"Greeting" $.messaging_triggers[0].conditions: conditions: use all or any, not both',
    ]);
  });

  it('unknown event lists the events', () => {
    expect(one({ ...good, event: 'ticket_created' })).toEqual([
      `"Greeting" $.messaging_triggers[0].event: unknown event "ticket_created"; allowed: ${MESSAGING_EVENTS.join(', ')}`,
    ]);
  });

  it('unknown field lists the fields; a ticket-trigger field is named as such', () => {
    const fields = Object.keys(MESSAGING_CONDITION_FIELDS).join(', ');
    expect(one(withCondition({ field: 'moon_phase', operator: 'is', value: 'full' }))).toEqual([
      `"T" $.messaging_triggers[0].conditions.all[0].field: unknown condition field "moon_phase"; allowed: ${fields}`,
    ]);
    expect(one(withCondition({ field: 'status', operator: 'is', value: 'open' }))).toEqual([
      `"T" $.messaging_triggers[0].conditions.all[0].field: "status" is a ticket-trigger field, not a messaging-trigger one; allowed: ${fields}`,
    ]);
  });

  it('operator not allowed for the field lists its operators', () => {
    expect(one(withCondition({ field: 'day_of_week', operator: 'less_than', value: 'mon' }))).toEqual([
      '"T" $.messaging_triggers[0].conditions.all[0].operator: day_of_week: operator "less_than" is not allowed; allowed: is, is_not',
    ]);
    expect(one(withCondition({ field: 'queue_size', operator: 'changed', value: 3 }))).toEqual([
      '"T" $.messaging_triggers[0].conditions.all[0].operator: queue_size: operator "changed" is not allowed; allowed: is, less_than, greater_than',
    ]);
  });

  it.each([
    [{ field: 'hour_of_day', operator: 'is', value: 24 }, 'hour_of_day: value 24 is not an hour; allowed: whole numbers 0–23'],
    [{ field: 'hour_of_day', operator: 'is', value: 9.5 }, 'hour_of_day: value 9.5 is not an hour; allowed: whole numbers 0–23'],
    [{ field: 'day_of_week', operator: 'is', value: 'funday' }, 'day_of_week: value "funday" is not a day or a list of days; allowed: sun, mon, tue, wed, thu, fri, sat'],
    [{ field: 'in_business_hours', operator: 'is', value: 'yes' }, 'in_business_hours: value "yes" is not allowed; allowed: true, false'],
    [{ field: 'agent_status', operator: 'is', value: 'away' }, 'agent_status: value "away" is not allowed; allowed: online, offline'],
    [{ field: 'queue_size', operator: 'greater_than', value: -1 }, 'queue_size: value -1 is not a whole number ≥ 0'],
    [{ field: 'current_tags', operator: 'includes', value: ' ' }, 'current_tags: value must be one or more tags (space-separated text or a list)'],
    [{ field: 'message_text_includes_word', operator: 'includes', value: '?!' }, 'message_text_includes_word: value must be text with at least one word'],
    [{ field: 'brand_id', operator: 'is', value: true }, 'brand_id: value true is not an id'],
    [{ field: 'within_schedule', operator: 'is' }, 'within_schedule: a value is required'],
  ])('value problem %j', (c, reason) => {
    expect(one(withCondition(c))).toEqual([`"T" $.messaging_triggers[0].conditions.all[0].value: ${reason}`]);
  });

  it('extra keys: time_zone and group_id only where allowed, group_id required for group_status, zone must exist', () => {
    expect(one(withCondition({ field: 'current_tags', operator: 'includes', value: 'a', time_zone: 'UTC' }))).toEqual([
      '"T" $.messaging_triggers[0].conditions.all[0].time_zone: time_zone is not allowed for current_tags (only for: hour_of_day, day_of_week)',
    ]);
    expect(one(withCondition({ field: 'group_status', operator: 'is', value: 'online' }))).toEqual([
      '"T" $.messaging_triggers[0].conditions.all[0].group_id: group_status: group_id is required',
    ]);
    expect(one(withCondition({ field: 'hour_of_day', operator: 'is', value: 3, time_zone: 'Mars/Olympus' }))[0]).toMatch(
      /conditions\.all\[0\]\.time_zone: unknown time zone "Mars\/Olympus": use an IANA name/,
    );
    expect(one(withCondition({ field: 'hour_of_day', operator: 'is', value: 3, colour: 'red' }))).toEqual([
      '"T" $.messaging_triggers[0].conditions.all[0].colour: unknown key "colour"; allowed: field, operator, value, time_zone, group_id',
    ]);
  });

  it('message text conditions only on message_sent', () => {
    expect(one(withCondition({ field: 'message_text_includes_word', operator: 'includes', value: 'refund' }, 'added_to_queue'))).toEqual([
      '"T" $.messaging_triggers[0].conditions.all[0].field: message_text_includes_word: only for event message_sent (this trigger\'s event is added_to_queue)',
    ]);
  });

  it('within_schedule ids are checked against the schedules when given', () => {
    const schedules = parseScheduleBook([{ id: 10, name: 'Support', time_zone: 'UTC', weekly: { mon: [['09:00', '17:00']] } }]);
    const t = withCondition({ field: 'within_schedule', operator: 'is', value: 11 });
    expect(importMessagingTriggers(t).ok).toBe(true);
    expect(importMessagingTriggers(withCondition({ field: 'within_schedule', operator: 'is', value: 10 }), { schedules }).ok).toBe(true);
    expect(lines(importMessagingTriggers(t, { schedules }))).toEqual(['"T" $.conditions.all[0].value: within_schedule: unknown schedule "11"; known: 10']);
  });

  it('actions: unknown (ticket actions named), bad values with what is allowed', () => {
    const actions = Object.keys(MESSAGING_ACTION_FIELDS).join(', ');
    expect(
      one({
        ...good,
        actions: [
          { field: 'launch', value: 'x' },
          { field: 'status', value: 'solved' },
          { field: 'wait', value: 601 },
          { field: 'wait', value: '0' },
          { field: 'send_message', value: '   ' },
          { field: 'request_email', value: 3 },
          { field: 'add_tags', value: [] },
        ],
      }),
    ).toEqual([
      `"Greeting" $.messaging_triggers[0].actions[0].field: unknown action "launch"; allowed: ${actions}`,
      `"Greeting" $.messaging_triggers[0].actions[1].field: "status" is a ticket-trigger action, not a messaging-trigger one; allowed: ${actions}`,
      '"Greeting" $.messaging_triggers[0].actions[2].value: wait: value 601 is not allowed; allowed: whole seconds 1–600',
      '"Greeting" $.messaging_triggers[0].actions[3].value: wait: value "0" is not allowed; allowed: whole seconds 1–600',
      '"Greeting" $.messaging_triggers[0].actions[4].value: send_message: value must be non-empty text of at most 16000 characters, or {"text": ...}',
      '"Greeting" $.messaging_triggers[0].actions[5].value: request_email: value must be the prompt, non-empty text of at most 16000 characters',
      '"Greeting" $.messaging_triggers[0].actions[6].value: add_tags: value must be one or more tags (space-separated text or a list)',
    ]);
    expect(one({ ...good, actions: [] })).toEqual([
      `"Greeting" $.messaging_triggers[0].actions: actions: at least one action is required; allowed: ${actions}`,
    ]);
  });

  it('structural problems name the path', () => {
    expect(one({ event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: { html: '<b>' } }] })).toEqual([
      '$.messaging_triggers[0].title: title: required',
      '$.messaging_triggers[0].actions[0].value: actions.0.value: expected text, a number, a list of tags or {"text": ...}',
    ]);
  });

  it('all-or-nothing: one bad trigger, no trigger loads; every problem listed; duplicate ids', () => {
    const r = importMessagingTriggers({ messaging_triggers: [good, { ...good, event: 'x' }, good] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.total).toBe(3);
    expect(r.rejected.map((x) => x.index)).toEqual([1, 2]);
    expect(formatProblems(r.problems)).toEqual([
      `"Greeting" $.messaging_triggers[1].event: unknown event "x"; allowed: ${MESSAGING_EVENTS.join(', ')}`,
      '"Greeting" $.messaging_triggers[1].id: duplicate id 7 (first at $.messaging_triggers[0])',
      '"Greeting" $.messaging_triggers[2].id: duplicate id 7 (first at $.messaging_triggers[0])',
    ]);
  });

  it('files that are not messaging triggers', () => {
    expect(lines(importMessagingTriggers([good]))).toEqual([
      '$: expected a messaging trigger, {"messaging_trigger": {...}} or {"messaging_triggers": [...]}; got an array',
    ]);
    expect(lines(importMessagingTriggers({ triggers: [] }))[0]).toMatch(/^\$: these are ticket triggers/);
    expect(lines(importMessagingTriggers({ messaging_triggers: {} }))).toEqual(['$.messaging_triggers: messaging_triggers: expected an array of messaging triggers']);
    expect(lines(importMessagingTriggers({ messaging_triggers: [3] }))).toEqual(['$.messaging_triggers[0]: expected a messaging trigger object, got 3']);
  });

  it('rules over 65 KB are refused', () => {
    const big = { ...good, description: 'x'.repeat(70_000) };
    expect(one(big)).toEqual([expect.stringMatching(/^"Greeting" \$\.messaging_triggers\[0\]: trigger is \d+ bytes; the limit is 65535 bytes/)]);
  });
});
