import test from 'ava';
import { join } from 'node:path';
import { DETECTORS } from '../src/detectors/index.js';
import type { Detector } from '../src/detectors/detector.js';
import type { Event } from '../src/model/event.js';
import { ingest } from '../src/pipeline/ingest.js';
import { keepRule, unbuiltRule } from '../src/registry/keep.js';
import type { Signature } from '../src/signatures/signature.js';
import { REAL_CORPUS } from './helpers/real-corpus.js';
import { CORPUS, ROOT, SEEDS, withShared } from './helpers/shared.js';

/**
 * `analyze` passes over DEBUG records no detector can select without building
 * them (src/registry/keep.ts `unbuiltRule`, from each signature's and
 * context's `debugNeeds`). The rule is held here to the real logs: every record
 * it would pass over, built in full, carries no signature and no context a
 * detector keeps. A signature added with a DEBUG-capable logger and no
 * `debugNeeds` makes its logger's records built; one whose `debugNeeds` is
 * wrong fails here on the lines that show it.
 */

const keep = keepRule(DETECTORS);
const unbuilt = unbuiltRule(DETECTORS);

/** Every event of the inputs built in full (as `events` reads them), and those the rule would have passed over. */
async function judged(inputs: string[]): Promise<{ all: number; passable: Event[]; wrong: string[] }> {
  let all = 0;
  const passable: Event[] = [];
  const wrong: string[] = [];
  await ingest(
    inputs,
    {},
    {
      event(ev) {
        all++;
        if (ev.traceback || !unbuilt(ev.level, ev.logger ?? '', ev.raw)) return;
        passable.push(ev);
        const sigs = keep.signaturesOf(ev);
        if (sigs.length > 0 || keep.context(ev))
          wrong.push(`${ev.file}:${ev.line} [${sigs.join(',') || 'context'}] ${ev.raw.slice(0, 160)}`);
      },
    },
  );
  return { all, passable, wrong };
}

const real = withShared();

real(
  'no record the rule passes over would have been kept: the samples, the seeds, the project corpus and ../shared/corpus/real',
  async (t) => {
    const inputs = [join(ROOT, 'samples'), SEEDS, REAL_CORPUS, CORPUS];
    const { all, passable, wrong } = await judged(inputs);
    t.deepEqual(wrong.slice(0, 20), []);
    t.log(`${passable.length} of ${all} records passable`);
    // Not vacuous: real logs are mostly DEBUG chatter of loggers no detector reads.
    t.true(all > 50_000, `${all} events`);
    t.true(passable.length > all / 10, `${passable.length} of ${all} passable`);
    const loggers = new Set(passable.map((e) => e.logger));
    for (const l of ['oslo_concurrency.lockutils', 'oslo_service.periodic_task', 'oslo_messaging._drivers.amqpdriver'])
      t.true(loggers.has(l), `${l} passed over`);
  },
);

test('only DEBUG records, never one a detector declares it reads, nor an access line or a record naming what a signature looks for', (t) => {
  const line = (level: string, logger: string, msg: string): [Event['level'], string, string] => [
    level as Event['level'],
    logger,
    `2024-10-02 08:00:00.000 2241 ${level} ${logger} [req-0a0a0a0a-aaaa-4bbb-8ccc-dddddddddddd 3f1a 9b2c - default default] ${msg}`,
  ];
  const lockLine = line(
    'DEBUG',
    'oslo_concurrency.lockutils',
    'Lock "compute_resources" acquired by "nova.compute.resource_tracker.ResourceTracker._update_available_resource" :: waited 0.000s inner /usr/lib/python3/dist-packages/oslo_concurrency/lockutils.py:386',
  );
  t.true(unbuilt(...lockLine));
  // The same line at INFO is built (INFO lines of any logger can be an instance's story or name an exception).
  t.false(unbuilt('INFO', lockLine[1], lockLine[2].replace(' DEBUG ', ' INFO ')));
  // A logger whose every DEBUG line a detector reads (the scheduler's filters) is always built.
  t.false(
    unbuilt(
      ...line(
        'DEBUG',
        'nova.filters',
        'Filter ComputeFilter returned 2 host(s) get_filtered_objects /usr/lib/python3/dist-packages/nova/filters.py:104',
      ),
    ),
  );
  // The resource tracker's: those about allocations (its story) or opening as a signature's template does
  // (patternNeeds), not its periodic resource view.
  t.false(
    unbuilt(
      ...line(
        'DEBUG',
        'nova.compute.resource_tracker',
        "Instance 35cb3ed7-da49-4eab-94b6-6edbb2c61540 actively managed on this compute host and has allocations in placement: {'resources': {'VCPU': 1}}.",
      ),
    ),
  );
  t.false(
    unbuilt(
      ...line(
        'DEBUG',
        'nova.compute.resource_tracker',
        'Final resource view: name=cmp01 phys_ram=15995MB used_ram=512MB phys_disk=99GB used_disk=0GB total_vcpus=4 used_vcpus=0 pci_stats=[] _report_final_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1065',
      ),
    ),
  );
  t.true(
    unbuilt(
      ...line(
        'DEBUG',
        'nova.compute.resource_tracker',
        'Hypervisor/Node resource view: name=cmp01 free_ram=15483MB free_disk=98GB free_vcpus=4 pci_devices=None _report_hypervisor_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1028',
      ),
    ),
  );
  // The compute manager's: a rescheduled build's message (written at DEBUG, translated) in any language.
  const rescheduled = (msg: string): boolean => unbuilt(...line('DEBUG', 'nova.compute.manager', msg));
  t.false(
    rescheduled(
      '[instance: 2f565c93-6eec-4a74-b8e8-f55638b56da3] Build of instance 2f565c93-6eec-4a74-b8e8-f55638b56da3 was re-scheduled: Binding failed for port',
    ),
  );
  t.false(
    rescheduled(
      '[instance: 2f565c93-6eec-4a74-b8e8-f55638b56da3] Construcción de instancia 2f565c93-6eec-4a74-b8e8-f55638b56da3 reprogramada: x',
    ),
  );
  // …written escaped by python 2: built, its words are known only once decoded.
  t.false(
    rescheduled(
      '\\u30a4\\u30f3\\u30b9\\u30bf\\u30f3\\u30b9 2f565c93-6eec-4a74-b8e8-f55638b56da3 \\u306e\\u4f5c\\u6210\\u306f\\u518d\\u30b9\\u30b1\\u30b8\\u30e5\\u30fc\\u30eb\\u3055\\u308c\\u307e\\u3057\\u305f: x',
    ),
  );
  t.true(
    rescheduled(
      'Triggering sync for uuid 35cb3ed7-da49-4eab-94b6-6edbb2c61540 _sync_power_states /usr/lib/python3/dist-packages/nova/compute/manager.py:10343',
    ),
  );
  // Any logger: an access line (placement's search, a changing request), a move's scheduling failure.
  t.false(
    unbuilt(
      ...line(
        'DEBUG',
        'placement.requestlog',
        'Starting request: 10.0.0.5 "GET /allocation_candidates?resources=VCPU%3A1" __call__ /usr/lib/python3/dist-packages/placement/requestlog.py:55',
      ),
    ),
  );
  t.false(
    unbuilt(
      ...line(
        'DEBUG',
        'nova.api.openstack.requestlog',
        '10.0.0.5 "DELETE /v2.1/servers/2f565c93-6eec-4a74-b8e8-f55638b56da3" status: 204 len: 0 microversion: 2.79 time: 0.1',
      ),
    ),
  );
  t.false(unbuilt(...line('DEBUG', 'oslo_messaging.rpc.server', 'Failed to compute_task_migrate_server: No valid host was found.')));
});

test("a signature with a DEBUG-capable logger and no debugNeeds makes its loggers' DEBUG records built; with one, only lines holding its texts", (t) => {
  const sig = (debugNeeds?: Signature['debugNeeds']): Detector<unknown> => ({
    ...DETECTORS[0],
    signatures: [
      {
        id: 'test.lock-chatter',
        description: 'lock lines',
        source: 'test',
        loggers: ['oslo_concurrency.*'],
        pattern: /^Lock /,
        samples: [],
        debugNeeds,
      },
    ],
    context: [],
  });
  const msg = '2024-10-02 08:00:00.000 2241 DEBUG oslo_concurrency.lockutils [-] Lock "x" acquired';
  t.false(unbuiltRule([sig()])('DEBUG', 'oslo_concurrency.lockutils', msg));
  t.false(unbuiltRule([sig(['Lock "'])])('DEBUG', 'oslo_concurrency.lockutils', msg));
  t.true(unbuiltRule([sig(['Lock "'])])('DEBUG', 'oslo_concurrency.lockutils', msg.replace('Lock "x"', 'Semaphore "x"')));
  // An exception-keyed signature cannot select a DEBUG record without a traceback: it keeps nothing built.
  t.true(unbuiltRule([sig('exception')])('DEBUG', 'oslo_concurrency.lockutils', msg));
});

test('a passed-over record that a traceback follows is built after all, and keeps its exception', async (t) => {
  const { parseText } = await import('./helpers/parse.js');
  const text = [
    '2024-10-02 08:00:00.000 2241 DEBUG oslo_concurrency.lockutils [-] Lock "x" acquired by "y" :: waited 0.000s inner /usr/lib/python3/dist-packages/oslo_concurrency/lockutils.py:386',
    '2024-10-02 08:00:00.100 2241 DEBUG oslo_messaging._drivers.amqpdriver [-] Failed to process message:',
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3/dist-packages/oslo_messaging/rpc/server.py", line 165, in _process_incoming',
    'oslo_messaging.exceptions.MessagingTimeout: Timed out waiting for a reply',
    '',
  ].join('\n');
  const passed: Event[] = [];
  const { events } = parseText(text, { host: 'cmp01', unbuilt: unbuiltRule(DETECTORS) }, (e: Event) => passed.push(e));
  t.is(passed.length, 1);
  t.is(passed[0].logger, 'oslo_concurrency.lockutils');
  t.is(events.length, 1);
  t.is(events[0].exception?.type, 'MessagingTimeout');
  // Built in full: the DEBUG suffix split off, the traceback folded.
  t.is(events[0].message, 'Failed to process message:');
  t.is(events[0].traceback?.length, 3);
});
