import test from 'ava';
import { isOwnDecision, OWN_DECISION_SAMPLES, pastedMessage } from '../parsers/paste/messages.js';

/**
 * The scheduler's decisions pasted without their log line are read as nova's
 * by their template's structure, whole: a filter list ends in `…]`, which the
 * dashboard's `[Error: …]` reading must not take apart.
 */

for (const s of OWN_DECISION_SAMPLES)
  test(`a decision pasted alone is one message, whole (${s.seen})`, (t) => {
    const m = pastedMessage(s.sample);
    t.is(m?.message, s.sample);
    t.is(m?.exception, undefined, 'a filter name in the list is no exception class');
  });

test('a sentence about filters, or the template without its instance, is no decision of nova', (t) => {
  t.false(isOwnDecision('Filtering removed all hosts, what does that mean?'));
  t.false(isOwnDecision("Filtering removed all hosts for the request with instance ID '<uuid>'. Filter results: [...]"));
  t.is(pastedMessage('Filtering removed all hosts for my request, see [attached: log]'), undefined);
});
