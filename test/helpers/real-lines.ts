import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseLog } from './case-table.js';
import { ROOT } from './shared.js';

/**
 * Real lines shared by several case tables, where one real excerpt is a row of
 * more than one detector (a move refused is a failed move, and not a build).
 */

/** The physical lines of an excerpt of the project's real corpus (test/corpus/real), read as they are. */
/** A file of the committed real corpus, whole, as a paste or a log gives it. */
export const committedText = (dir: string, file: string): string => readFileSync(join(ROOT, 'test', 'corpus', 'real', dir, file), 'utf8');

export const committedCorpus = (dir: string, file: string): string[] => committedText(dir, file).replace(/\n$/, '').split('\n');

/** A failure's result pasted alone (a fault, a client's error, a CLI table), from the real corpus: read in paste mode. */
export const pastedCorpus = (dir: string, file: string): CaseLog => ({
  host: `paste-${file}`,
  service: 'unknown',
  lines: committedCorpus(dir, file),
  paste: true,
});

/** Real lines: an operator's 2021 write-up of a refused cold migration (zh_CN, escaped; search index id 44680043549, no URL given), the blogger's inserted comment line left out. */
export const CSDN_SCHEDULER = [
  '2021-09-24 15:23:33.148 2692 INFO nova.scheduler.host_manager [req-1b899c05-41da-4e75-b808-514d351dbc79 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] Host filter ignoring hosts: computer',
  '2021-09-24 15:23:33.154 2692 WARNING nova.scheduler.filters.compute_filter [req-1b899c05-41da-4e75-b808-514d351dbc79 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] (localhost.localdomain, localhost.localdomain) ram: 3258MB disk: 32768MB io_ops: 0 instances: 0 has not been heard from in a while',
  '2021-09-24 15:23:33.155 2692 INFO nova.filters [req-1b899c05-41da-4e75-b808-514d351dbc79 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] Filter ComputeFilter returned 0 hosts',
  "2021-09-24 15:23:33.155 2692 INFO nova.filters [req-1b899c05-41da-4e75-b808-514d351dbc79 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] Filtering removed all hosts for the request with instance ID 'ac91ed2c-6c0e-4865-afcf-2b1b9fcb5485'. Filter results: ['AvailabilityZoneFilter: (start: 1, end: 1)', 'ComputeFilter: (start: 1, end: 0)']",
];
export const CSDN_CONDUCTOR = [
  '2021-09-24 15:23:33.790 2401 WARNING nova.scheduler.utils [req-1b899c05-41da-4e75-b808-514d351dbc79 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] Failed to compute_task_migrate_server: 找不到有效主机，原因是 没有足够的主机可用。。',
  'Traceback (most recent call last):',
  '',
  '  File "/usr/lib/python2.7/site-packages/oslo_messaging/rpc/server.py", line 235, in inner',
  '    return func(*args, **kwargs)',
  '',
  '  File "/usr/lib/python2.7/site-packages/nova/scheduler/filter_scheduler.py", line 302, in _ensure_sufficient_hosts',
  '    raise exception.NoValidHost(reason=reason)',
  '',
  ': NoValidHost_Remote: \\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u6ca1\\u6709\\u8db3\\u591f\\u7684\\u4e3b\\u673a\\u53ef\\u7528\\u3002\\u3002',
  '2021-09-24 15:23:33.792 2401 WARNING nova.scheduler.utils [req-1b899c05-41da-4e75-b808-514d351dbc79 9942eb4321644336a0c7383d9f1c2bed a7d812868cb74f1a978035530f55f1d0 - default default] [instance: ac91ed2c-6c0e-4865-afcf-2b1b9fcb5485] Setting instance to ACTIVE state.: NoValidHost_Remote: \\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u6ca1\\u6709\\u8db3\\u591f\\u7684\\u4e3b\\u673a\\u53ef\\u7528\\u3002\\u3002',
];
