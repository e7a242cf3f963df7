import test from 'ava';
import type { Event } from '../src/model/event.js';
import { eventMatcher, parseLevel } from '../src/model/event-filter.js';
import { eventFilter } from '../src/commands/events.js';

const ev = (o: Partial<Event>): Event =>
  ({
    ts: '2024-10-02T08:00:00.000',
    host: 'cmp01.cloud.example',
    service: 'nova-compute',
    file: 'f',
    line: 1,
    level: 'INFO',
    message: 'm',
    raw: 'r',
    ...o,
  }) as Event;

test('one filter for events and the TUI: host by name or its start, level and above, request by either id, instance by uuid or mention', (t) => {
  const e = ev({
    requestId: 'req-aaaa',
    globalRequestId: 'req-gggg',
    level: 'WARNING',
    message: 'Instance 2F565C93-6EEC-4A74-B8E8-F55638B56DA3 moved',
  });
  t.true(eventMatcher({ host: 'cmp01' })(e));
  t.true(eventMatcher({ host: 'cmp01.cloud.example' })(e));
  t.false(eventMatcher({ host: 'cmp02' })(e));
  t.true(eventMatcher({ level: 'WARNING' })(e));
  t.false(eventMatcher({ level: 'ERROR' })(e));
  t.true(eventMatcher({ requestId: 'REQ-GGGG' })(e));
  t.true(eventMatcher({ instance: '2f565c93-6eec-4a74-b8e8-f55638b56da3' })(e));
  t.false(eventMatcher({ services: ['nova-api'] })(e));
  t.is(parseLevel('warning'), 'WARNING');
  t.is(parseLevel('loud'), undefined);
  // The CLI adds the time window and refuses an unknown level.
  t.false(eventFilter({ inputs: [], host: 'cmp01', since: '2024-10-02 08:00:01' })(e));
  t.throws(() => eventFilter({ inputs: [], level: 'loud' }), { message: /unknown level "loud"/ });
});
