/**
 * Import and export of Zendesk ticket triggers (domain/triggers): every real file in
 * shared/data/zendesk-triggers/ either loads or is reported precisely; shapes, limits, aliases and
 * round trips.
 */
import { readFileSync, readdirSync } from 'fs';
import path from 'path';
import { importMessagingTriggers } from '../../domain/messagingTriggers';
import {
  MAX_TRIGGER_BYTES,
  exportTrigger,
  exportTriggers,
  formatProblems,
  importTriggers,
  importTriggersFromText,
  type Trigger,
  type TriggerImport,
} from '../../domain/triggers';

const DIR = path.resolve(__dirname, '../../../shared/data/zendesk-triggers');
const load = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));

type Expectation =
  | { kind: 'triggers'; loaded: number; rejected?: { index: number; title: string; path: string; reason: string }[] }
  | { kind: 'not_triggers'; resources: string[] };

const TARGET = 'notification_target: targets are deprecated; use notification_webhook';

/** What each real file must give. A new file in the folder fails the test until it is listed here. */
const EXPECTED: Record<string, Expectation> = {
  'mattermost_testaccount_trigger_condition_definitions.json': { kind: 'not_triggers', resources: ['conditions'] },
  'mattermost_testaccount_triggers.json': { kind: 'triggers', loaded: 4 },
  'ongair_whatsapp_integration_triggers.json': {
    kind: 'triggers',
    loaded: 0,
    rejected: [
      { index: 0, title: 'Ongair - Ticket commented on', path: '$.triggers[0].actions[0].field', reason: TARGET },
      { index: 1, title: 'Ongair - Ticket status changed', path: '$.triggers[1].actions[0].field', reason: TARGET },
      { index: 2, title: 'Ongair - New Ticket for WhatsApp end-user', path: '$.triggers[2].actions[0].field', reason: TARGET },
      { index: 3, title: 'Ongair Test - New Ticket Notification', path: '$.triggers[3].actions[0].field', reason: TARGET },
      { index: 4, title: 'Ongair - Notify requester of received request via WhatsApp', path: '$.triggers[4].actions[0].field', reason: TARGET },
    ],
  },
  'rapidpro_mailroom_zendesk_channel_trigger.json': {
    kind: 'triggers',
    loaded: 0,
    rejected: [{ index: 0, title: 'Notify <name> on ticket status change', path: '$.triggers[0].actions[0].field', reason: TARGET }],
  },
  'ringcentral_zendesk_addin_trigger.json': { kind: 'triggers', loaded: 1 },
  'salto_mybrand_automations.json': { kind: 'not_triggers', resources: ['automations'] },
  'salto_mybrand_schedules_slas.json': { kind: 'not_triggers', resources: ['schedules', 'holidays', 'sla_policies', 'sla_policy_definitions'] },
  'salto_mybrand_trigger_definitions.json': { kind: 'not_triggers', resources: ['definitions'] },
  'salto_mybrand_triggers.json': {
    kind: 'triggers',
    loaded: 9,
    rejected: [{ index: 9, title: 'Slack Ticket Trigger', path: '$.triggers[9].actions[0].field', reason: TARGET }],
  },
  'zendesk_legacy_default_triggers_pchhetri_script.json': { kind: 'triggers', loaded: 9 },
  'zendesk_out_of_office_app_triggers.json': { kind: 'triggers', loaded: 2 },
};

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

test('every file in shared/data/zendesk-triggers has an expectation', () => {
  expect(files).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(files)('real file %s', (file) => {
  const json = load(file);
  const expected = EXPECTED[file];
  const result = importTriggers(json);

  test('imports, or is reported precisely (title, JSON path, reason)', () => {
    if (expected.kind === 'not_triggers') {
      expect(result.kind).toBe('not_triggers');
      if (result.kind !== 'not_triggers') return;
      expect(result.resources.map((r) => r.key)).toEqual(expected.resources);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ path: '$', title: null });
      expect(result.problems[0].reason).toMatch(/^not ticket triggers: /);
      return;
    }
    const total = (json.triggers as unknown[]).length;
    const rejected = expected.rejected ?? [];
    expect(expected.loaded + rejected.length).toBe(total);
    if (rejected.length === 0) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.triggers).toHaveLength(expected.loaded);
      expect(result.warnings).toEqual([]);
      return;
    }
    expect(result).toMatchObject({ ok: false, kind: 'triggers', envelope: 'list', total });
    if (result.ok || result.kind !== 'triggers') return;
    expect(result.rejected.map((r) => ({ index: r.index, title: r.title, path: r.problems[0].path, reason: r.problems[0].reason }))).toEqual(rejected);
    expect(result.problems).toHaveLength(rejected.length);
  });

  if (expected.kind === 'triggers') {
    test('round trip: the loadable triggers export back to the same JSON', () => {
      const rejected = new Set((expected.rejected ?? []).map((r) => r.index));
      const original = (json.triggers as Record<string, unknown>[]).filter((_, i) => !rejected.has(i));
      const stripped = original.map((t) => Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('_'))));
      const again = importTriggers({ triggers: stripped });
      expect(again.ok).toBe(true);
      if (!again.ok) return;
      expect(again.triggers).toHaveLength(expected.loaded);
      const exported = exportTriggers(again.triggers);
      expect(exported.triggers).toEqual(stripped);
      expect(exported.count).toBe(expected.loaded);
      const twice = importTriggers(JSON.parse(JSON.stringify(exported)));
      expect(twice.ok && twice.triggers).toEqual(again.triggers);
    });
  }
});

test('Ongair annotations (_target, _source_lines, _note) are reported as ignored keys, not as problems', () => {
  const r = importTriggers(load('ongair_whatsapp_integration_triggers.json'));
  expect(r.kind === 'triggers' && r.warnings.map((w) => w.path)).toEqual(
    expect.arrayContaining(['$.triggers[0]._target', '$.triggers[0]._source_lines', '$.triggers[3]._note']),
  );
  expect(r.kind === 'triggers' && r.warnings.every((w) => w.reason.startsWith('ignored:'))).toBe(true);
});

test('real values as Zendesk wrote them load: via_id as a number, comment_is_public as a boolean, a condition without value', () => {
  const salto = importTriggers({ triggers: (load('salto_mybrand_triggers.json').triggers as unknown[]).slice(0, 9) });
  expect(salto.ok).toBe(true);
  const rapid = load('rapidpro_mailroom_zendesk_channel_trigger.json').triggers as Trigger[];
  const noValue = importTriggers({ ...rapid[0], actions: [{ field: 'notification_webhook', value: ['wh-1', '{"id": {{ticket.id}}}'] }] });
  expect(noValue.ok).toBe(true);
  const ongair = load('ongair_whatsapp_integration_triggers.json').triggers as Trigger[];
  const numeric = importTriggers({ ...ongair[2], actions: [{ field: 'current_tags', value: 'whatsapp' }] });
  expect(numeric.ok && numeric.triggers[0].conditions.all?.[1]).toEqual({ field: 'via_id', operator: 'is', value: 0 });
});

const minimal = (over: Partial<Trigger> = {}): Record<string, unknown> => ({
  title: 'Tag VIP',
  conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'vip' }], any: [] },
  actions: [{ field: 'priority', value: 'high' }],
  ...over,
});

const problemsOf = (r: TriggerImport) => (r.ok ? [] : r.problems);

describe('envelopes', () => {
  test('a bare trigger, {"trigger": {...}} and a list page with count/next_page/previous_page all import', () => {
    const t = { ...minimal(), id: 42, position: 1, active: true };
    const bare = importTriggers(t);
    const single = importTriggers({ trigger: t });
    const list = importTriggers({ triggers: [t], count: 1, next_page: null, previous_page: null });
    expect(bare).toMatchObject({ ok: true, envelope: 'bare' });
    expect(single).toMatchObject({ ok: true, envelope: 'single' });
    expect(list).toMatchObject({ ok: true, envelope: 'list', page: { count: 1, next_page: null, previous_page: null } });
    for (const r of [bare, single, list]) expect(r.ok && r.triggers.map(exportTrigger)).toEqual([t]);
    expect(list.ok && exportTriggers(list.triggers, list.page)).toEqual({ triggers: [t], count: 1, next_page: null, previous_page: null });
  });

  test('file-level problems: not an object, a bad triggers key, bad JSON text', () => {
    expect(problemsOf(importTriggers([minimal()]))[0]).toMatchObject({ path: '$', reason: expect.stringContaining('got an array') });
    expect(problemsOf(importTriggers({ triggers: {} }))[0]).toMatchObject({ path: '$.triggers' });
    expect(problemsOf(importTriggersFromText('{"triggers": ['))[0]).toMatchObject({ path: '$', reason: expect.stringMatching(/^not JSON/) });
  });
});

describe('precise problems', () => {
  test('unknown condition field: title, path and the allowed fields', () => {
    const r = importTriggers({ triggers: [minimal(), minimal({ title: 'Bad', conditions: { all: [{ field: 'stauts', operator: 'is', value: 'open' }] } })] });
    const [p] = problemsOf(r);
    expect(p).toMatchObject({ title: 'Bad', triggerIndex: 1, path: '$.triggers[1].conditions.all[0].field' });
    expect(p.reason).toMatch(/^unknown condition field "stauts"; allowed: status, type, priority, .*messaging_session_state.*custom_fields_<id>$/);
  });

  test('unknown and disallowed operators list the field\'s operators', () => {
    const r = importTriggers(minimal({ conditions: { all: [{ field: 'status', operator: 'equals', value: 'open' }, { field: 'current_tags', operator: 'is', value: 'x' }] } }));
    expect(problemsOf(r).map((p) => [p.path, p.reason])).toEqual([
      ['$.conditions.all[0].operator', 'status: unknown operator "equals"; allowed: is, is_not, less_than, greater_than, changed, value, value_previous, not_changed, not_value, not_value_previous'],
      ['$.conditions.all[1].operator', 'current_tags: operator "is" is not allowed for this field; allowed: includes, not_includes'],
    ]);
  });

  test('a value outside the allowed list names the allowed values', () => {
    const r = importTriggers(minimal({ conditions: { any: [{ field: 'priority', operator: 'is', value: 'urgentt' }] }, actions: [{ field: 'status', value: 'new' }] }));
    expect(formatProblems(problemsOf(r))).toEqual([
      '"Tag VIP" $.conditions.any[0].value: priority: value "urgentt" is not allowed; allowed: low, normal, high, urgent, "" (none)',
      '"Tag VIP" $.actions[0].value: status: value "new" is not allowed; allowed: open, pending, hold, solved, closed',
    ]);
  });

  test('known Zendesk fields Parley does not model are refused with the reason', () => {
    const r = importTriggers(
      minimal({
        conditions: { all: [{ field: 'on_holiday', operator: 'is', value: 'true' }, { field: 'requester.custom_fields.tier', operator: 'is', value: 'x' }] },
        actions: [{ field: 'notification_sms_user', value: ['requester_id', 1, 'hi'] }],
      }),
    );
    expect(problemsOf(r).map((p) => p.reason)).toEqual([
      expect.stringMatching(/^on_holiday: not supported \(holidays belong to the schedules module/),
      expect.stringMatching(/^requester\.custom_fields\.tier: user and organization fields are not modelled/),
      'notification_sms_user: text (SMS) notifications are not supported by Parley',
    ]);
  });

  test('structural problems: missing title, no actions, wrong types', () => {
    const r = importTriggers({ triggers: [{ conditions: { all: [] }, actions: [] }, minimal({ active: 'yes' as unknown as boolean })] });
    const reasons = problemsOf(r).map((p) => `${p.path} ${p.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining(['$.triggers[0].title title: required', expect.stringMatching(/^\$\.triggers\[0\]\.actions actions: /), expect.stringMatching(/^\$\.triggers\[1\]\.active active: /)]),
    );
  });

  test('a trigger without any condition is refused', () => {
    expect(problemsOf(importTriggers(minimal({ conditions: { all: [], any: [] } })))[0]).toMatchObject({
      path: '$.conditions',
      reason: 'a trigger needs at least one condition (in all or any)',
    });
  });

  test('notification and webhook values must have their shapes', () => {
    const r = importTriggers(minimal({ actions: [{ field: 'notification_user', value: 'requester_id' }, { field: 'notification_webhook', value: ['wh'] }] }));
    expect(problemsOf(r).map((p) => p.reason)).toEqual([
      'notification_user: value must be [recipient, subject, body]; recipient: current_user, requester_and_ccs, requester_id, assignee_id, all_agents or an id',
      'notification_webhook: value must be [webhook id, body]',
    ]);
  });

  test('duplicate ids in one import are refused', () => {
    const r = importTriggers({ triggers: [minimal({ id: 7 }), minimal({ id: 7, title: 'Again' })] });
    expect(problemsOf(r)).toEqual([{ path: '$.triggers[1].id', title: 'Again', triggerIndex: 1, reason: 'duplicate id 7 (first at $.triggers[0])' }]);
  });
});

describe('limits', () => {
  test('65 KB per rule: the oversized trigger is named by title; the import is all-or-nothing', () => {
    const body = 'x'.repeat(MAX_TRIGGER_BYTES);
    const big = minimal({ title: 'Huge notification', actions: [{ field: 'notification_user', value: ['requester_id', 'hi', body] }] });
    const r = importTriggers({ triggers: [minimal(), big] });
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.problems).toEqual([
      { path: '$.triggers[1]', title: 'Huge notification', triggerIndex: 1, reason: expect.stringMatching(/^trigger "Huge notification" is \d+ bytes; the limit is 65535 bytes \(65 KB\) per rule$/) },
    ]);
    expect('triggers' in r).toBe(false);
    const justUnder = minimal({ actions: [{ field: 'notification_user', value: ['requester_id', 'hi', 'x'.repeat(MAX_TRIGGER_BYTES - 400)] }] });
    expect(importTriggers(justUnder).ok).toBe(true);
  });

  test('at most 7000 active triggers per import', () => {
    const many = Array.from({ length: 7001 }, (_, i) => minimal({ id: i + 1 }));
    const r = importTriggers({ triggers: many });
    expect(problemsOf(r)).toEqual([{ path: '$.triggers', title: null, triggerIndex: null, reason: '7001 active triggers; the limit is 7000 per account' }]);
    many[0] = minimal({ id: 1, active: false });
    expect(importTriggers({ triggers: many }).ok).toBe(true);
  });
});

describe('messaging aliases (DOMAIN.md §4, ours)', () => {
  test('channel, routing_channel, session state/ended/inactive reason, within_schedule and the two messaging actions import and round-trip', () => {
    const t = {
      title: 'Messaging after hours',
      conditions: {
        all: [
          { field: 'channel', operator: 'is', value: 'messaging' },
          { field: 'routing_channel', operator: 'is', value: 'messaging' },
          { field: 'messaging_session_state', operator: 'is_not', value: 'ended' },
          { field: 'within_schedule', operator: 'is', value: '1500001035461' },
        ],
        any: [
          { field: 'messaging_session_ended_reason', operator: 'value', value: 'agent' },
          { field: 'messaging_session_inactive_reason', operator: 'is', value: 'end_user_inactivity' },
        ],
      },
      actions: [
        { field: 'messaging_session', value: 'end_session' },
        { field: 'routing_channel', value: 'email' },
      ],
    };
    const r = importTriggers({ trigger: t });
    expect(r.ok && r.triggers.map(exportTrigger)).toEqual([t]);
  });

  test('a wrong channel name lists the channel names', () => {
    const r = importTriggers(minimal({ conditions: { all: [{ field: 'channel', operator: 'is', value: 'sms' }] } }));
    expect(problemsOf(r)[0].reason).toMatch(/^channel \(alias of via_id\): value "sms" is not allowed; allowed: web_form, email, .*messaging.*$/);
    const bad = importTriggers(minimal({ actions: [{ field: 'routing_channel', value: 'messaging' }] }));
    expect(problemsOf(bad)[0].reason).toBe('routing_channel: value "messaging" is not allowed; allowed: email');
  });
});

describe('hostile imports are refused cheaply (break round)', () => {
  test('deep nesting is a problem at its JSON path, not a crash', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const r = importTriggers({ title: 't', conditions: { all: deep }, actions: [] });
    if (r.ok) throw new Error('expected a refusal');
    expect(r.problems[0]).toMatchObject({ path: expect.stringMatching(/^\$\.conditions\.all(\[0\])+$/), reason: expect.stringContaining('nested deeper than 32 levels') });
    const m = importMessagingTriggers({ messaging_triggers: [deep] });
    if (m.ok) throw new Error('expected a refusal');
    expect(m.problems[0].reason).toContain('nested deeper than 32 levels');
  });

  test('a list of more than 10,000 items is refused before any item is checked', () => {
    const r = importTriggers({ triggers: Array.from({ length: 1_000_000 }, () => ({})) });
    if (r.ok) throw new Error('expected a refusal');
    expect(r.problems).toEqual([expect.objectContaining({ path: '$.triggers', reason: expect.stringContaining('at most 10000') })]);
  });

  test('a failed import lists at most 1,000 problems and counts the rest', () => {
    const r = importTriggers({ triggers: Array.from({ length: 5_000 }, () => ({})) });
    if (r.ok) throw new Error('expected a refusal');
    // The check stops once 1,000 problems are listed (one trigger may add a few).
    expect(r.problems.length).toBeLessThan(1_020);
    expect(r.problems[r.problems.length - 1].reason).toMatch(/^\d+ more triggers were not checked/);
  });
});

test('a notification recipient with a line break (header injection attempt) is refused at import with its path', () => {
  const r = importTriggers({ title: 'crlf', conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] }, actions: [{ field: 'notification_user', value: ['a@b.co\r\nBcc: x@y.z', 's', 'b'] }] });
  if (r.ok) throw new Error('expected a refusal');
  expect(r.problems[0]).toMatchObject({ path: '$.actions[0].value', reason: expect.stringContaining('contains spaces or control characters') });
});
