import type { ExceptionInfo, PastedResult, PastedShape } from '../src/model/event.js';
import { exceptionsInTraceback, looksLikeExceptionClass } from './exceptions.js';
import { DASHBOARD, namedException } from './paste/messages.js';
import { promptOf } from './paste/prompt.js';
import { startsDatedRecord, startsRecord } from './paste/shapes.js';

/**
 * A failure's result pasted instead of a log: what `server show` (table,
 * `-f json`, a grep of it, `-f value -c fault` pretty-printed), the API's
 * response body, a dashboard (its fault pane, its error banner), a client's
 * error line or Heat's stack events print when a server failed. Each becomes
 * one undated event (Heat's events keep their own time) marked `pasted`, with
 * the fault's message, code, created time and details (the traceback), the
 * server it names and the move it shows. The shapes are data (FAULT_SHAPES,
 * with the real lines they were written for); the reader holds one block at a
 * time (a table, a dict), capped, and hands back every line it does not take.
 * Nothing here says what failed or why: the detectors do, from the exception
 * class the message or the details name.
 */

export interface FaultShape {
  name: PastedShape;
  what: string;
  /** Real text of the shape (whole lines), with where it was seen; `fault` is what the reader must make of it. */
  samples: readonly { lines: readonly string[]; seen: string; expect: Partial<PastedFault> }[];
}

export interface PastedFault {
  shape: PastedShape;
  message: string;
  code?: number;
  created?: string;
  /** The fault's details (its traceback), one line each. */
  details?: string[];
  instanceUuid?: string;
  requestId?: string;
  /** The class the message names (a bare class name is how nova records a fault of a non-nova exception). */
  exception?: ExceptionInfo;
  /** The move the text shows (`resize`, `migrate`, `live-migrate`, `evacuate`). */
  move?: string;
  /** The destination the move's command asked for (`--host <host>`). */
  destination?: string;
  /** A table's or grep'd JSON's fields. */
  fields?: Record<string, string>;
  /** A listing's rows by column name. */
  rows?: Record<string, string>[];
  /** A listing pasted after a move command (only listings and shows typed between): the server that command named. */
  movedServer?: string;
  /** A listing pasted after `resource provider allocation show <consumer>`: the consumer whose allocations its rows are. */
  consumer?: string;
  /** The client's command typed before the error, when it is no build, move or look at state: the error is that action's. */
  action?: string;
  /** A fault is in the text (a table or grep'd fields may hold none: a healthy server). */
  failed: boolean;
  /** The fault's message where the event's is another's (Heat's event quoting it). */
  faultMessage?: string;
  /** Heat's events are dated: `YYYY-MM-DDTHH:mm:ss.SSS`. */
  ts?: string;
  level: 'ERROR' | 'INFO';
}

export const FAULT_SHAPES: readonly FaultShape[] = [
  {
    name: 'server-table',
    what: '`nova show` / `openstack server show` table: a `fault` row whose cell wraps over further rows with an empty first cell',
    samples: [
      {
        lines: [
          'fault                                | {"message": "Unexpected error while running command.                                                                                             |',
          '|                                      | Command: ssh 10.16.28.13 mkdir -p /var/lib/nova/instances/e24af2e7-2ab3-4036-ac74-66c39ae23d0f                                                   |',
          '|                                      | Exit code: 1                                                                                                                                     |',
          "|                                      | Stdout: ''                                                                                                                                       |",
          '|                                      | Stderr: \'\'", "code": 500, "details": "  File \\"/usr/local/lib/python2.7/dist-packages/nova/compute/manager.py\\", line 290, in decorated_function |',
        ],
        seen: 'github rcbops/ansible-lxc-rpc#587 (2014, Icehouse; corpus)',
        expect: { code: 500, move: 'migrate', failed: true },
      },
    ],
  },
  {
    name: 'table',
    what: 'any other `openstack … show` table (a resource provider with its allocations): read as one event, no fault',
    samples: [
      {
        lines: [
          '+----------------------+------------------------------------------+',
          '| Field                | Value                                    |',
          '+----------------------+------------------------------------------+',
          '| uuid                 | f3bfbfa8-4dcb-4cf1-b8b3-5b3069870d08     |',
          "| allocations          | {'f160ed61-2256-4401-aece-789cb1a3c359': {'resources': {'VCPU': 30, 'MEMORY_MB': 741376, 'DISK_GB': 1668}, 'consumer_generation': 1}} |",
        ],
        seen: 'beskar-cloud/knowledgebase orphaned-ostack-allocation.md (2023; corpus), border cut to the sample',
        expect: { failed: false },
      },
    ],
  },
  {
    name: 'listing',
    what: "a listing table (`nova migration-list`, `openstack compute service list`): a header row of column names, a row per item; read as one event, no fault. A `nova list` row copied without its header (a uuid, a name, a server status) takes the legacy table's columns by position",
    samples: [
      {
        lines: [
          '+----+--------------------------------------+-------------+-----------+----------------+--------------+-------------+--------+--------------------------------------+------------+------------+----------------------------+----------------------------+------------+',
          '| Id | UUID                                 | Source Node | Dest Node | Source Compute | Dest Compute | Dest Host   | Status | Instance UUID                        | Old Flavor | New Flavor | Created At                 | Updated At                 | Type       |',
          '+----+--------------------------------------+-------------+-----------+----------------+--------------+-------------+--------+--------------------------------------+------------+------------+----------------------------+----------------------------+------------+',
          '| 1  | 8a823ba3-e2e9-4f17-bac5-88ceea496b99 | devstack1   | devstack2 | devstack1      | devstack2    | 192.168.0.1 | done   | a1e6e0b2-9028-4166-b79b-c177ff70fbb7 | None       | None       | 2019-10-25T17:46:35.000000 | 2019-10-25T17:46:37.000000 | evacuation |',
          '+----+--------------------------------------+-------------+-----------+----------------+--------------+-------------+--------+--------------------------------------+------------+------------+----------------------------+----------------------------+------------+',
        ],
        seen: 'openstack/nova doc/source/admin/troubleshooting/orphaned-allocations.rst (Train, 2019; corpus), the table only',
        expect: { shape: 'listing', failed: false },
      },
      {
        lines: ['    | 9a783952-a888-4fcd-8f5d-cd9291ed1969 | test1   | ERROR  | spawning   ...'],
        seen: "test/corpus/real/larsks-blog-oddbit-2015-01-17-nova-docker-binding-failed (Juno, 2015): one 'nova list' row, no header, cut at the right",
        expect: {
          shape: 'listing',
          failed: false,
          rows: [{ ID: '9a783952-a888-4fcd-8f5d-cd9291ed1969', Name: 'test1', Status: 'ERROR', 'Task State': 'spawning' }],
        },
      },
    ],
  },
  {
    name: 'api-response',
    what: "the API's response body (`GET /servers/{id}`) with a `fault` object; `...` elisions allowed",
    samples: [
      {
        lines: [
          'GET https://10.211.2.122/compute/v2.1/servers/c76a7603-95be-4368-87e9-7b9b89fb1d7e',
          '{',
          '   "server": {',
          '      "id": "c76a7603-95be-4368-87e9-7b9b89fb1d7e",',
          '      "fault": {',
          '         "created": "2018-04-10T13:49:40Z",',
          '         "message": "No valid host was found.",',
          '         "code": 500',
          '      },',
          '      "status": "ERROR",',
          '      ...',
          '   }',
          '}',
        ],
        seen: 'openstack/nova api-guide/source/faults.rst (2018; corpus)',
        expect: { instanceUuid: 'c76a7603-95be-4368-87e9-7b9b89fb1d7e', code: 500, created: '2018-04-10T13:49:40Z', failed: true },
      },
    ],
  },
  {
    name: 'fault-dict',
    what: "the fault alone as a dict: JSON on one line, or a python repr pretty-printed with its details (the traceback) unfolded; or its fields without the braces, its message one of nova's texts",
    samples: [
      {
        lines: [
          "{u'code': 500,",
          " u'created': u'2018-09-19T16:02:54Z',",
          " u'details': u'  File \"/opt/stack/nova/nova/conductor/manager.py\", line 1227, in schedule_and_build_instances",
          '    instance_uuids, return_alternates=True)',
          "',",
          " u'message': u'No valid host was found. '}",
        ],
        seen: 'rubasov.github.io 2018-09-21 QoS minimum bandwidth demo (Stein; corpus), details cut to one frame',
        expect: { code: 500, created: '2018-09-19T16:02:54Z', failed: true },
      },
      {
        lines: [
          '{"message": "Scheduler Host Filter AggregateDiskFilter could not be found.", "code": 404, "created": "2014-10-16T18:55:15Z"}',
        ],
        seen: 'github rcbops/ansible-lxc-rpc#326 (2014, Icehouse; corpus)',
        expect: { code: 404, failed: true },
      },
      {
        // Its fields without the braces, quoted from a JSON string (escaped once more) and cut by the quoter.
        lines: [
          String.raw`"message\": \"No valid host was found. Exceeded max scheduling attempts 3 for instance 03d3c2dc-c0ab-4a30-be44-2380e088c1a5.`,
        ],
        seen: "test/corpus/real/github-cloudfoundry-attic-cf-release-issue914 (Juno, 2016): the BOSH OpenStack CPI's debug log",
        expect: {
          message: 'No valid host was found. Exceeded max scheduling attempts 3 for instance 03d3c2dc-c0ab-4a30-be44-2380e088c1a5.',
          instanceUuid: '03d3c2dc-c0ab-4a30-be44-2380e088c1a5',
          failed: true,
        },
      },
    ],
  },
  {
    name: 'json-fields',
    what: "`openstack server show -f json | grep …`: the object's fields without its braces",
    samples: [
      {
        lines: ['  "OS-EXT-STS:task_state": none,', '  "OS-EXT-STS:vm_state": "stopped",', '  "status": "SHUTOFF",'],
        seen: 'beskar-cloud/knowledgebase orphaned-ostack-allocation.md (2023; corpus)',
        expect: { failed: false },
      },
    ],
  },
  {
    name: 'dashboard-pane',
    what: "a dashboard's fault pane copied as text: a label, a colon, a run of spaces, the value (the code a number); or its labels and values run into one line (`Message <message> Code <code> Details <traceback>`), the details wrapped over the lines after it",
    samples: [
      {
        lines: ['Message:     OSError', 'Code:     500'],
        seen: 'github airshipit/treasuremap#8 (2020; corpus)',
        expect: { message: 'OSError', code: 500, failed: true },
      },
      {
        lines: [
          'Message No valid host was found. There are not enough hosts available. Code 500 Details File',
          '"/usr/lib/python2.7/site-packages/nova/conductor/manager.py", line',
          '872, in schedule_and_build_instances',
          'request_specs[0].to_legacy_filter_properties_dict()) File',
        ],
        seen: 'pastebin.com/raw/wNzw0KCe (Ocata, RDO, 2018; corpus), quoted with `> ` in the ticket, the quote taken off',
        expect: { message: 'No valid host was found. There are not enough hosts available.', code: 500, failed: true },
      },
    ],
  },
  {
    name: 'dashboard-error',
    what: "a dashboard's error banner: the fault in brackets at the end, `[Error: …].` in the dashboard's language",
    samples: [
      {
        lines: ['[Error: Scheduler Host Filter AggregateDiskFilter could not be found.].'],
        seen: 'github rcbops/ansible-lxc-rpc#326 (2014, Icehouse; corpus)',
        expect: { message: 'Scheduler Host Filter AggregateDiskFilter could not be found.', failed: true },
      },
      {
        lines: ['[Error : No valid host was found. There are not enough hosts available.].'],
        seen: "generated: the bracket of Horizon's French banner as its fr django.po writes it ('[Error : %s].', a space before the colon; openstack/horizon, every tag since Juno) around nova's NoValidHost",
        expect: { message: 'No valid host was found. There are not enough hosts available.', failed: true },
      },
    ],
  },
  {
    name: 'cli-error',
    what: "a client's error: novaclient's `ERROR (Class): … (HTTP n) (Request-ID: req-…)` (Essex–Grizzly: `ERROR: … (HTTP n)`), openstacksdk's `BadRequestException: 400: Client Error for url: <url>, <the API's message>` (the server in the URL), terraform's and packer's `Error waiting for server (<id>) to become ready: unexpected state 'ERROR'` (and terraform's `… to resize: unexpected state 'ACTIVE'`), gophercloud's Fault as Go prints it (`{500 <time> +0000 UTC  <message>}`), openstackclient's `… (HTTP n)` and its `--wait` failures (`Error resizing server: <id>`)",
    samples: [
      {
        lines: [
          "BadRequestException: 400: Client Error for url: http://192.168.121.9/compute/v2.1/servers/2ed7c251-fbd2-47e5-acc9-090a32baffec/action, {'currently': 0, 'expected': 62}",
        ],
        seen: "test/corpus/real/mail-archive-yahoo-eng-team-msg93706-evacuate-400 (openstacksdk through openstackclient 7.1.1, 2024): the API's message after the URL, the server in the URL",
        expect: {
          code: 400,
          instanceUuid: '2ed7c251-fbd2-47e5-acc9-090a32baffec',
          message: "{'currently': 0, 'expected': 62}",
          failed: true,
        },
      },
      {
        lines: ['Error resizing server: 29cb7f21-2241-44f4-9ba9-61d8d840c026'],
        seen: 'github airshipit/treasuremap#8 (2020; corpus)',
        expect: { instanceUuid: '29cb7f21-2241-44f4-9ba9-61d8d840c026', move: 'resize', failed: true },
      },
      {
        lines: ['ERROR (BadRequest): No valid host was found. (HTTP 400) (Request-ID: req-3ecfc01c-41af-4552-ae63-dd0407b4be5e)'],
        seen: 'generated: the novaclient form (novaclient/shell.py main: "ERROR (%s): %s"), request id as in test/paste.test.ts',
        expect: { code: 400, requestId: 'req-3ecfc01c-41af-4552-ae63-dd0407b4be5e', failed: true },
      },
      {
        lines: [
          "openstack_compute_instance_v2.master: Error waiting for instance (a34baefe-a2a6-49f6-bf0b-214a3151d3dd) to become ready: unexpected state 'ERROR', wanted target 'ACTIVE'. last error: %!s(<nil>)",
        ],
        seen: 'test/corpus/real/github-kubenow-kubenow-issue143 (terraform-provider-openstack, 2017): a server it created went to ERROR',
        expect: { instanceUuid: 'a34baefe-a2a6-49f6-bf0b-214a3151d3dd', failed: true },
      },
      {
        lines: [
          "==> openstack: Error waiting for server (8e55eacb-1bbe-427f-80fc-1a1a126f2980) to become ready: unexpected state 'ERROR', wanted target '[ACTIVE]'",
        ],
        seen: "test/corpus/real/github-travis-ci-packer-templates-issue555 (packer's openstack builder, 2017)",
        expect: { instanceUuid: '8e55eacb-1bbe-427f-80fc-1a1a126f2980', failed: true },
      },
      {
        lines: [
          "Error: Error waiting for instance (80f2fbd3-57ea-4426-a51b-0b7dfaf1bb71) to resize: unexpected state 'ACTIVE', wanted target 'VERIFY_RESIZE'. last error: %!s(<nil>)",
        ],
        seen: 'test/corpus/real/github-computecanada-mc-hub-issue118 (terraform-provider-openstack): a resize back in ACTIVE, not VERIFY_RESIZE',
        expect: { instanceUuid: '80f2fbd3-57ea-4426-a51b-0b7dfaf1bb71', move: 'resize', failed: true },
      },
      {
        lines: [
          '{500 2024-11-22 20:56:47 +0000 UTC  Build of instance 8837696b-6172-4721-aa4a-729e576573d5 aborted: Failed to allocate the network(s), not rescheduling.',
        ],
        seen: "test/corpus/real/github-coreos-fedora-coreos-pipeline-issue1061 (kola's harness printing gophercloud's Fault, 2024), its closing brace cut by the issue",
        expect: {
          instanceUuid: '8837696b-6172-4721-aa4a-729e576573d5',
          code: 500,
          created: '2024-11-22T20:56:47Z',
          message: 'Build of instance 8837696b-6172-4721-aa4a-729e576573d5 aborted: Failed to allocate the network(s), not rescheduling.',
          failed: true,
        },
      },
      {
        lines: ["ERROR: Policy doesn't allow compute_extension:admin_actions:migrateLive to be performed. (HTTP 403)"],
        seen: 'test/corpus/real/rackspace-how-to-rpc-vm-block-migration (Essex novaclient, 2012): the caller refused, not the operation',
        expect: { code: 403, failed: false },
      },
    ],
  },
  {
    name: 'heat-event',
    what: "Heat's stack events as `openstack stack event list` and `overcloud deploy` print them; a server resource's failure carries nova's fault (`Message: …, Code: …`)",
    samples: [
      {
        lines: [
          '2016-03-02 13:52:07 [Controller]: CREATE_FAILED ResourceInError: resources.Controller: Went to status ERROR due to "Message: No valid host was found. There are not enough hosts available., Code: 500"',
        ],
        seen: 'github redhat-openstack/tripleo-quickstart#8 (2016, Mitaka; corpus)',
        expect: { code: 500, ts: '2016-03-02T13:52:07.000', failed: true },
      },
      {
        lines: ['2016-03-02 13:52:09 [NovaCompute]: DELETE_COMPLETE state changed'],
        seen: 'github redhat-openstack/tripleo-quickstart#8 (2016, Mitaka; corpus)',
        expect: { failed: false, level: 'INFO' },
      },
    ],
  },
];

// ───────────────────────────── values ─────────────────────────────

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;
const REQUEST_ID = /\b(req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;
/** A string value of a key in JSON or a python repr; a value a cut left open runs to the end. */
const stringValue = (key: string): RegExp =>
  new RegExp(`["']\\s*${key}\\s*["']\\s*:\\s*[uU]?(?:"((?:[^"\\\\]|\\\\.)*)"?|'((?:[^'\\\\]|\\\\.)*)'?)`, 's');
const MESSAGE = stringValue('message');
const DETAILS = stringValue('details');
const CREATED = stringValue('created');
const CODE = /["']\s*code\s*["']\s*:\s*(\d{3})\b/;
/** `for instance <uuid>`, `Build of instance <uuid>`, `[instance: <uuid>]`: how nova's messages name the instance. */
/** A fault's text naming its instance (`… for instance <uuid>`, `instance: <uuid>`). */
export const NAMED_INSTANCE = /\binstance:? ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;
/** An instance's directory under nova's instances path: its name is its uuid (Essex+). */
export const INSTANCE_DIR = /\/instances\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;
const SERVER_ID = /["']id["']\s*:\s*[uU]?["']([0-9a-f-]{36})["']/;

function unescapeString(s: string): string {
  return s.replace(/\\n/g, '\n').replace(/\\(['"\\])/g, '$1');
}

/** A pretty-printed JSON object's field holding a log line (an aggregator's event: `"message": "2014-09-29 07:05:12.363 …"`). */
const JSON_TEXT_FIELD = /^\s*"(?:message|msg|log|MESSAGE)":\s*"((?:[^"\\]|\\.)*)"?,?\s*$/;

/**
 * The log lines a JSON field carries when its string is a dated log record (an aggregator's event of a syslog line,
 * goldstone's): JSON's escapes undone, and rsyslog's `#012` (the newline it escapes, octal) between the record's lines.
 */
export function recordsInJsonField(line: string): string[] | undefined {
  const m = JSON_TEXT_FIELD.exec(line);
  if (!m) return undefined;
  const text = unescapeString(m[1]).replace(/\\t/g, '\t');
  if (!startsDatedRecord(text)) return undefined;
  return text.replace(/#011/g, '\t').split(/#012|\n/);
}

/**
 * Where the fault shows a move: the compute manager's and the driver's move
 * functions in its details, the driver's `ssh <dest> mkdir -p <instances>/<uuid>`
 * (libvirt's migrate_disk_and_power_off making the instance's directory on the
 * destination), a resize or migration state.
 */
/** `on`: the fault's text (its message and details), or a server's state (task_state, status). */
export const MOVE_MARKS: readonly { move: string; on: 'text' | 'state'; pattern: RegExp; sample: string }[] = [
  {
    move: 'migrate',
    on: 'text',
    pattern: /\bssh \S+ mkdir -p \S*\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/,
    sample: 'Command: ssh 10.16.28.13 mkdir -p /var/lib/nova/instances/e24af2e7-2ab3-4036-ac74-66c39ae23d0f',
  },
  {
    // The source's copy of the instance's disk out of its `<uuid>_resize` directory (libvirt's
    // migrate_disk_and_power_off moves the directory aside, then copies it to the destination): a resize's or a cold
    // migration's, never a build's.
    move: 'migrate',
    on: 'text',
    pattern:
      /\b(?:scp|rsync)\b[^\n]*\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_resize\/\S*\s+\S+:\S*\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/,
    sample:
      'Command: scp -r /var/lib/nova/instances/8ca2c7e8-acae-404c-af7d-6cac38e354b8_resize/disk 192.0.2.2:/var/lib/nova/instances/8ca2c7e8-acae-404c-af7d-6cac38e354b8/disk',
  },
  {
    move: 'live-migrate',
    on: 'text',
    pattern: /\bin \w*live_migrat\w*\b/,
    // Real frame: the os-log-merger debug-live-migration conductor log (Kilo), /work/shared/corpus/real.
    sample: '  File "/usr/lib/python2.7/site-packages/nova/compute/manager.py", line 4943, in check_can_live_migrate_destination',
  },
  {
    move: 'migrate',
    on: 'text',
    pattern:
      /\bin (?:migrate_disk_and_power_off|_migrate_disk_resize|resize_instance|prep_resize|_prep_resize|finish_resize|_finish_resize|_cold_migrate|migrate_server)\b/,
    // Generated: a resize's frame in nova's form (no public fault with one found yet).
    sample: '  File "/usr/lib/python2.7/site-packages/nova/compute/manager.py", line 3980, in resize_instance',
  },
  { move: 'resize', on: 'state', pattern: /^(?:resize|verify_resize|resize_\w+)$/i, sample: 'resize_migrating' },
  { move: 'migrate', on: 'state', pattern: /^(?:migrating)$/i, sample: 'migrating' },
];

/**
 * Classes only a move's action raises (the API's refusals of its request, a live migration's pre-checks): a
 * fault or an error of one is that move's, whatever else the text says.
 */
export const MOVE_OF_CLASS: Readonly<Record<string, string>> = {
  CannotResizeToSameFlavor: 'resize',
  CannotResizeDisk: 'resize',
  MigrationPreCheckError: 'live-migrate',
  UnableToMigrateToSelf: 'live-migrate',
  InvalidSharedStorage: 'live-migrate',
  InvalidLocalStorage: 'live-migrate',
  NotSupportedComputeForEvacuateV295: 'evacuate',
};

/**
 * novaclient's host-wide moves (`nova host-evacuate-live`, `host-servers-migrate`, `host-evacuate`) print a row per
 * server: its uuid, whether the API accepted its move (`Live Migration Accepted`, `Migration Accepted`, `Evacuate
 * Accepted`) and, when not, the API's error as the client printed it (`<what it was doing>: <the API's message>
 * (HTTP 400) (Request-ID: req-…)`). Each refused row is that server's move refused, read as the client's error line.
 */
function refusedRows(rows: readonly Record<string, string>[]): PastedFault[] {
  const out: PastedFault[] = [];
  for (const row of rows) {
    const accepted = Object.keys(row).find((k) => / Accepted$/.test(k));
    const id = row['Server UUID'];
    const error = row['Error Message']?.trim();
    if (!accepted || !id || !UUID.test(id) || !/^false$/i.test(row[accepted]) || !error) continue;
    const m = OSC_HTTP.exec(error);
    const text = m ? m[1] : error;
    // The client's own words before the API's message: the message alone names its class.
    const colon = text.indexOf(': ');
    const own = colon > 0 ? finish({ message: text.slice(colon + 2), failed: true }, '') : undefined;
    const f = own?.exception ? own : finish({ message: text, failed: true }, '');
    out.push({ shape: 'cli-error', ...f, code: m ? +m[2] : undefined, requestId: m?.[3], instanceUuid: id, level: 'ERROR' });
  }
  return out;
}

/** The client's commands that move a server; what a paste shows after one is its outcome. */
export const MOVE_COMMANDS: readonly { move: string; pattern: RegExp; sample: string }[] = [
  {
    move: 'live-migrate',
    pattern:
      /^(?:openstack server migrate\b.*\s--live(?:-migration)?\b|openstack server live-migrat|nova live-migration\b|nova host-evacuate-live\b)/,
    sample: 'nova live-migration 1b1a4f0b-0a8a-4a5b-9a5e-3c1d5f0e7f44 compute2',
  },
  {
    move: 'resize',
    // Not its confirm or revert (`openstack server resize confirm`, `--confirm`, `nova resize-confirm`): the resize was done.
    pattern: /^(?:openstack server resize\b(?!\s+(?:confirm|revert)\b)(?!.*\s--(?:confirm|revert)\b)|nova resize(?![-\w]))/,
    sample: 'openstack server resize --flavor m1.xlarge --wait resize-test',
  },
  {
    move: 'migrate',
    pattern: /^(?:openstack server migrate|nova migrate|nova host-servers-migrate)\b/,
    sample: 'openstack server migrate --host eli-hda1-016-ostack.priv.cloud.domain.edu  f160ed61-2256-4401-aece-789cb1a3c359',
  },
  { move: 'evacuate', pattern: /^(?:openstack server evacuate|nova (?:host-)?evacuate)\b/, sample: 'nova evacuate vm1 compute3' },
];

/** The destination a move's command names: osc's and novaclient's `--host <host>` (`--host=<host>`). */
export function hostOfCommand(command: string): string | undefined {
  return /\s--host[=\s]\s*([A-Za-z0-9][\w.-]*)/.exec(command)?.[1];
}

/** Commands that make a server (their errors are a build's), or rebuild or unshelve one (a move's, by the faults they leave). */
const MAKES_SERVER = /^(?:openstack server (?:create|rebuild|unshelve|restore)|nova (?:boot|rebuild|unshelve|restore))\b/;

/** openstackclient's nouns, novaclient's verbs (hyphenated, or one of its one-word ones): not prose (`openstack output will be …`). */
const CLIENT_ACTION =
  /^(?:openstack (?:server|volume|floating|network|port|subnet|router|flavor|image|hypervisor|compute|resource|allocation|aggregate|host|availability|keypair|security|quota|baremetal|stack|console) |nova (?:[a-z]+-[a-z-]+|delete|reboot|stop|start|pause|unpause|suspend|resume|lock|unlock|rescue|unrescue|shelve|meta|rename)\b)/;

/**
 * A client's command acting on existing things that is no build, no move and no look at state (`openstack server add
 * floating ip …`, `nova volume-attach …`, `openstack server reboot …`): an error printed after it is that action's,
 * not a server's failed build.
 */
export function otherActionOf(command: string): string | undefined {
  const c = command.trim().replace(/^(?:sudo|time)\s+/, '');
  if (!CLIENT_ACTION.test(c)) return undefined;
  if (MAKES_SERVER.test(c) || moveOfCommand(c) || SHOWS_STATE.test(c)) return undefined;
  return c
    .split(/\s+/)
    .slice(0, c.startsWith('openstack ') ? 4 : 2)
    .join(' ');
}

export function moveOfCommand(command: string): string | undefined {
  const c = command.trim().replace(/^(?:sudo|time)\s+/, '');
  return MOVE_COMMANDS.find((m) => m.pattern.test(c))?.move;
}

/** Options of the move commands that take a value (the rest are flags): novaclient's and openstackclient's. */
const VALUE_OPTIONS = new Set(['--host', '--flavor', '--password', '--live', '--os-compute-api-version', '--wait-timeout']);

/**
 * The server a move command names: novaclient's first argument (`nova resize <server> <flavor>`, `nova
 * live-migration <server> [<host>]`), openstackclient's last (`openstack server resize --flavor <f> <server>`).
 */
export function serverOfMoveCommand(command: string): string | undefined {
  const words = command
    .trim()
    .replace(/^(?:sudo|time)\s+/, '')
    .split(/\s+/);
  const osc = words[0] === 'openstack';
  const args: string[] = [];
  for (let i = osc ? 3 : 2; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('-')) {
      if (VALUE_OPTIONS.has(w)) i++;
      continue;
    }
    args.push(w.replace(/^["']|["']$/g, ''));
  }
  return osc ? args[args.length - 1] : args[0];
}

/** Commands that only show state: a move's outcome may be read in what they print. */
/** osc-placement's `resource provider allocation show <consumer>` (the table that follows has no consumer column). */
const CONSUMER_ALLOCATIONS_COMMAND =
  /^(?:(?:sudo|time)\s+)?openstack\s+(?:--\S+\s+(?:[^-\s]\S*\s+)?)*resource\s+provider\s+allocation\s+show\s+(?:-\S+\s+)*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;

const SHOWS_STATE =
  /^(?:(?:sudo|time)\s+)?(?:nova (?:list|show|migration-list|instance-action(?:-list)?)|openstack server (?:list|show|migration list|event (?:list|show)))\b/;

export function moveIn(text: string): string | undefined {
  for (const m of MOVE_MARKS) if (m.on === 'text' && m.pattern.test(text)) return m.move;
  return undefined;
}

function moveOfState(state: string | undefined): string | undefined {
  if (!state) return undefined;
  for (const m of MOVE_MARKS) if (m.on === 'state' && m.pattern.test(state.trim())) return m.move;
  return undefined;
}

/** The class a fault's message names: by class, by nova's text of it, or as the message itself (nova records a non-nova exception by its class name). */
function exceptionOf(message: string): { info: ExceptionInfo; fields?: Record<string, string> } | undefined {
  const t = message.trim();
  if (/^(?:[A-Za-z_]\w*\.)*[A-Z]\w*$/.test(t) && looksLikeExceptionClass(t))
    return { info: { type: t.slice(t.lastIndexOf('.') + 1), rawType: t, message: '' } };
  return namedException(t);
}

/** A fault's fields from the text of a dict or JSON object (whole or cut), or undefined when it holds no message. */
export function faultInText(text: string): Omit<PastedFault, 'shape' | 'level'> | undefined {
  const m = MESSAGE.exec(text);
  if (!m) return undefined;
  const message = unescapeString(m[1] ?? m[2] ?? '').trim();
  const code = CODE.exec(text);
  const created = CREATED.exec(text);
  const d = DETAILS.exec(text);
  const details = d
    ? unescapeString(d[1] ?? d[2] ?? '')
        .split('\n')
        .filter((l) => l.trim().length > 0)
    : undefined;
  return finish({ message, code: code ? +code[1] : undefined, created: created?.[1] ?? created?.[2], details, failed: true }, text);
}

function finish(f: Omit<PastedFault, 'shape' | 'level'>, text: string): Omit<PastedFault, 'shape' | 'level'> {
  const named = f.message ? exceptionOf(f.message) : undefined;
  // What the details raised last is the fault's class when the message is not one of nova's texts.
  const raised = f.details ? exceptionsInTraceback(f.details) : [];
  f.exception = named?.info ?? raised[raised.length - 1];
  // The server's id, else the instance nova's text names, else the instance's directory a command names (its uuid, Essex+).
  f.instanceUuid ??=
    SERVER_ID.exec(text)?.[1] ?? named?.fields?.instance_uuid ?? NAMED_INSTANCE.exec(f.message)?.[1] ?? INSTANCE_DIR.exec(f.message)?.[1];
  f.move ??= moveIn(text) ?? (f.exception ? MOVE_OF_CLASS[f.exception.type] : undefined) ?? moveOfRefusal(named?.info.type, named?.fields);
  return f;
}

// ───────────────────────────── lines ─────────────────────────────

const NOVACLIENT = /^ERROR \((\w+)\): (.*?)(?: \(HTTP (\d{3})\))?(?: \(Request-ID: (req-[0-9a-f-]{36})\))?\s*$/;
/**
 * openstacksdk's HttpException as openstackclient prints it: `<Class>: <code>: Client Error for url: <url>, <the API's
 * message>` (`Server Error` for 5xx); a copy's wrap leaves two spaces where it joined.
 */
const SDK_HTTP = /^\w+(?:Exception|Error): (\d{3}): (?:Client |Server )?Error for url:\s+(\S+?),?(?:\s+(\S.*?))?\s*$/;
/** A compute API URL of one server (`…/servers/<uuid>/action`): the server the request was about. */
const SERVER_URL = /\/servers\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/;
/** novaclient before it named the class (Essex–Grizzly: `ERROR: <message> (HTTP n)`); its failures read as messages do. */
const NOVACLIENT_OLD = /^ERROR: (.*?) \(HTTP (\d{3})\)(?: \(Request-ID: (req-[0-9a-f-]{36})\))?\s*$/;
/**
 * Go clients waiting on a server they created (gophercloud's state poll: terraform-provider-openstack, packer's
 * openstack builder) and seeing ERROR, not ACTIVE. The tool's own prefix may stand before it (terraform's resource
 * address, packer's `==> openstack: `, `Build 'openstack' errored: `).
 */
const GO_WAIT_READY =
  /(?:^|: )(Error waiting for (?:instance|server) \(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\) to become ready: unexpected state 'ERROR', wanted target '\[?ACTIVE\]?'.*?)"?$/;
/**
 * gophercloud's server Fault printed with Go's `%v` (a harness relaying why a server went to ERROR: kola, Go tests):
 * `{Code Created Details Message}`, the time as Go prints a `time.Time` in UTC.
 */
const GO_FAULT = /^\{(\d{3}) (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.\d+)? \+0000 UTC (.*)$/;

/**
 * The same poll waiting on a move (terraform-provider-openstack's resize and migrate): the server left the move's
 * pending states for one that is not its target (back to ACTIVE where VERIFY_RESIZE was awaited: the move did not
 * happen; ERROR: it failed).
 */
const GO_WAIT_MOVE =
  /(?:^|: )(Error waiting for (?:instance|server) \(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\) to (resize|migrate|live[ -]migrate): unexpected state '(\w+)', wanted target '\[?\w+\]?'.*?)"?$/;
const GO_WAIT_VERB: Record<string, string> = {
  resize: 'resize',
  migrate: 'migrate',
  'live-migrate': 'live-migrate',
  'live migrate': 'live-migrate',
};
/**
 * A client's 4xx answer to a call that moves nothing: the API refused the request as asked, so nothing was built or
 * run (a build fails after its 202, in the server's fault, which a client prints with no HTTP status of its own).
 * NoValidHost answered 400 is a move's (a cold migration before Queens), whatever names the move.
 */
function refusedAsAsked(f: Pick<PastedFault, 'move' | 'exception'>, status: number | undefined): boolean {
  return !!status && status >= 400 && status < 500 && !f.move && f.exception?.type !== 'NoValidHost';
}

/**
 * The API refused the caller, not the operation: the cloud did not fail (a policy, a token; 413, the caller's quota or
 * rate limit: OverQuota, PortLimitExceeded, before anything was created or moved).
 */
const CALLER_REFUSED = new Set([401, 403, 413]);
const OSC_HTTP = /^(?:Error: )?(.*?) \(HTTP (\d{3})\)(?: \(Request-ID: (req-[0-9a-f-]{36})\))?\s*$/;
/** openstackclient's `--wait` failures: the verb names the operation. */
const OSC_WAIT = /^Error (creating|resizing|migrating|live migrating|rebuilding|evacuating|unshelving) server(?:: (\S.*))?$/;
const WAIT_MOVE: Record<string, string | undefined> = {
  resizing: 'resize',
  migrating: 'migrate',
  'live migrating': 'live-migrate',
  evacuating: 'evacuate',
};
const HEAT = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.\d+)?Z? \[([^\]]+)\]: ([A-Z]+_(?:IN_PROGRESS|COMPLETE|FAILED))\b\s*(.*)$/;
/** heat's server resource: `Went to status ERROR due to "Message: …, Code: …"`; `Unknown` is heat's word for no fault. */
const HEAT_FAULT = /"Message: (.*), Code: (\d{3}|Unknown)"\s*$/s;

function oneLine(line: string): PastedFault | undefined {
  const t = line.trim().replace(/^`+|`+$/g, '');
  let m = HEAT.exec(t);
  if (m) {
    const failed = m[4].endsWith('_FAILED');
    const f = HEAT_FAULT.exec(m[5]);
    const fault =
      f && f[1] !== 'Unknown'
        ? finish({ message: f[1].trim(), code: f[2] === 'Unknown' ? undefined : +f[2], failed: true }, '')
        : undefined;
    return {
      shape: 'heat-event',
      ...fault,
      message: `[${m[3]}]: ${m[4]}${m[5] ? ` ${m[5]}` : ''}`,
      faultMessage: fault?.message,
      failed: !!fault,
      ts: `${m[1]}T${m[2]}.000`,
      level: failed ? 'ERROR' : 'INFO',
    };
  }
  if (startsRecord(t)) return undefined;
  m = NOVACLIENT.exec(t);
  if (m) {
    const code = m[3] ? +m[3] : undefined;
    const f = finish({ message: m[2], code, requestId: m[4], failed: !CALLER_REFUSED.has(code ?? 0) }, '');
    return { shape: 'cli-error', ...f, level: 'ERROR' };
  }
  m = SDK_HTTP.exec(t);
  if (m) {
    const code = +m[1];
    const f = finish({ message: m[3] ?? t, code, failed: !CALLER_REFUSED.has(code) }, '');
    return { shape: 'cli-error', ...f, instanceUuid: f.instanceUuid ?? SERVER_URL.exec(m[2])?.[1], level: 'ERROR' };
  }
  m = NOVACLIENT_OLD.exec(t);
  // Read here only when the caller was refused (no failure to stand for a fault); other codes as messages (below).
  if (m && CALLER_REFUSED.has(+m[2]))
    return { shape: 'cli-error', ...finish({ message: m[1], code: +m[2], requestId: m[3], failed: false }, ''), level: 'ERROR' };
  m = GO_WAIT_READY.exec(t);
  if (m) return { shape: 'cli-error', ...finish({ message: m[1], failed: true }, ''), instanceUuid: m[2], level: 'ERROR' };
  m = GO_WAIT_MOVE.exec(t);
  if (m)
    return {
      shape: 'cli-error',
      ...finish({ message: m[1], failed: true, move: GO_WAIT_VERB[m[3]] }, ''),
      instanceUuid: m[2],
      level: 'ERROR',
    };
  m = GO_FAULT.exec(t);
  if (m) {
    // Details come first in the struct: empty (a user's view), the message follows the blank they left.
    const rest = m[4].replace(/\s*\}$/, '');
    const message = rest.startsWith(' ') ? rest.trim() : rest;
    if (message.length > 0)
      return { shape: 'cli-error', ...finish({ message, code: +m[1], created: `${m[2]}T${m[3]}Z`, failed: true }, ''), level: 'ERROR' };
  }
  m = OSC_WAIT.exec(t);
  if (m) {
    const id = m[2]?.trim();
    return {
      shape: 'cli-error',
      message: t,
      instanceUuid: id && UUID.test(id) ? UUID.exec(id)![0] : undefined,
      move: WAIT_MOVE[m[1]],
      failed: true,
      level: 'ERROR',
    };
  }
  m = OSC_HTTP.exec(t);
  // Only a client's own line: `Error: …`, or one with its request id (a traceback's last line names a class first).
  if (m && m[1].length > 0 && !/^\s/.test(line) && (t.startsWith('Error: ') || m[3]) && !/^[\w.]+: /.test(m[1])) {
    const f = finish({ message: m[1], code: +m[2], requestId: m[3], failed: !CALLER_REFUSED.has(+m[2]) }, '');
    return { shape: 'cli-error', ...f, level: 'ERROR' };
  }
  m = DASHBOARD.exec(t);
  // The banner's own line: `Error: … [Error: …].`, or the bracket alone with its closing period (`[instance: …]` is a log's context).
  if (m && (t.startsWith('Error') || (t.startsWith('[') && /\]\.\s*$/.test(t)))) {
    const f = finish({ message: m[1], failed: true }, '');
    return { shape: 'dashboard-error', ...f, requestId: REQUEST_ID.exec(t)?.[1], level: 'ERROR' };
  }
  return undefined;
}

// ───────────────────────────── blocks ─────────────────────────────

type BlockKind = 'brace' | 'table' | 'json-fields' | 'pane' | 'pane-line' | 'request';

const TABLE_LINE = /^\s*(?:\+[-=+]{3,}|\|)/;
/** A table's first row whose leading `| ` a copy lost: `fault      | {…`. */
const TABLE_ROW_CUT = /^[A-Za-z][\w:.-]*\s+\|\s/;
const SERVER_FIELDS = /^(?:status|fault|id|name|OS-EXT-(?:STS|SRV-ATTR|AZ):[\w-]+|host_status|hostId|flavor|image|addresses)$/;
const JSON_FIELD = /^\s*"([\w:.-]+)":\s*(.*?),?\s*$/;
/** A JSON field whose quotes were escaped again (`"message\": \"No valid host …`): the body of a JSON string. */
const ESCAPED_FIELD = /^\s*\\?"[\w:.-]+\\":\s*\\"/;
const PANE_ROW = /^\s*([^\s:|{}"'[\]][^:|{}"'[\]]{0,30}):\s{2,}(\S.*)$/;
/** The pane's labels and values run into one line: its message, its code, the start of its details. */
const PANE_LINE = /^\s*Message\s+(\S.*?)\s+Code\s+(\d{3})(?:\s+Details\b\s*(.*))?$/;
const REQUEST = /^\s*(GET|POST|PUT|DELETE|PATCH) (https?:\/\/\S+|\/\S*)\s*$/;
/**
 * keystoneauth's debug log of an API call (`openstack --debug`, `nova --debug`: what a client prints on stderr):
 * `REQ: curl -g -i -X POST <url> -H … -d '<body>'`, then `RESP: [<status>] <headers>` and `RESP BODY: <body>`. Only
 * at a line's start: a service's own log carries the same words under its record's header, about calls to neutron,
 * cinder or placement, whose bodies are no server's fault.
 */
const KS_REQ = /^\s*REQ: curl\b.*?\s-X\s+(GET|POST|PUT|DELETE|PATCH|HEAD)\s+["']?(https?:\/\/[^'"\s]+)/;
const KS_REQ_ANY = /^\s*REQ: curl\b/;
/** The calls whose refusal or failure is a server's: its creation (`POST …/servers`), its actions. */
const SERVER_CALL = /\/servers(?:\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/action)?\/?(?:[?#]|$)/;
/** novaclient's own before keystoneauth (Icehouse–Liberty): the URL quoted before the method. */
const KS_REQ_OLD = /^\s*REQ: curl\b.*?\s["']?(https?:\/\/[^'"\s]+)["']?\s+-X\s+(GET|POST|PUT|DELETE|PATCH|HEAD)\b/;
const KS_RESP = /^\s*RESP: \[(\d{3})\]/;
const KS_BODY = /^\s*RESP BODY: (?=\{)/;
const KS_REQUEST_ID = /\bx-(?:compute|openstack)-request-id['"]?\s*:\s*['"]?(req-[0-9a-f-]{36})\b/i;
/** The rest of the exchange: urllib3's connection lines, keystoneauth's summary of the call. */
const KS_OTHER =
  /^\s*(?:(?:GET|POST|PUT|DELETE|PATCH|HEAD) call to \S+ for \S+ used request id req-|https?:\/\/\S+ "(?:GET|POST|PUT|DELETE|PATCH|HEAD) \S+ HTTP\/1\.[01]" \d{3}\b|Starting new HTTPS? connection \(\d+\): |Resetting dropped connection: )/;
/**
 * The server actions that move an instance, by the name the API knows them by: the key of an action's body
 * (`{"os-migrateLive": …}`), the `'%(action)s'` of its refusal ("Cannot 'os-migrateLive' while instance is in …").
 */
const ACTION_MOVES: Readonly<Record<string, string>> = {
  'os-migrateLive': 'live-migrate',
  migrate: 'migrate',
  resize: 'resize',
  evacuate: 'evacuate',
};
// Not confirmResize or revertResize: a resize that happened, confirmed or reverted after; their refusal moved nothing.
/**
 * The move an API refusal's text names: the refused action (InstanceInvalidState's `'%(action)s'`), or the action's
 * own key as the field its schema refused (ValidationError's `%(path)s`: `resize`, properties it does not allow).
 */
export function moveOfRefusal(type: string | undefined, fields: Readonly<Record<string, string>> | undefined): string | undefined {
  const action = type === 'InstanceInvalidState' ? fields?.action : type === 'ValidationError' ? fields?.path : undefined;
  return action && Object.hasOwn(ACTION_MOVES, action) ? ACTION_MOVES[action] : undefined;
}

const ACTION_BODY_KEY = new RegExp(`["'](${Object.keys(ACTION_MOVES).join('|')})["']\\s*:`);

/** The destination a move's body asks for (`"host": "compute2"`; null when the scheduler is to choose). */
const ACTION_HOST = /["']host["']\s*:\s*["']([^"']+)["']/;

/**
 * Jersey's client LoggingFilter (a Java client, openstack4j): `1 > POST <url>` and the request's headers, then
 * `2 < 409`, the response's headers (`2 < X-Compute-Request-Id: req-…`), the body on the line after them.
 */
const JERSEY_REQ = /^\s*\d+ > (GET|POST|PUT|DELETE|PATCH) (https?:\/\/\S+)\s*$/;
const JERSEY_STATUS = /^\s*\d+ < (\d{3})\s*$/;
const JERSEY_HEADER = /^\s*\d+ [<>] ([\w-]+): (.*)$/;
const JERSEY_NOTE = /^\s*(?:\w+: )?\d+ \* (?:Client response received|Sending client request) on thread /;

interface HttpExchange {
  /** Unknown where the paste starts at the response (Jersey's `2 < 409`). */
  method?: string;
  url?: string;
  move?: string;
  destination?: string;
  /** Its body was read: a later header line is no longer its. */
  answered?: boolean;
  status?: number;
  requestId?: string;
}
/** A block longer than this is no fault a person pasted: it is handed back to the log reader. */
const MAX_BLOCK_LINES = 400;
const MAX_BLOCK_CHARS = 256 << 10;

interface Held {
  line: string;
  lineNo: number;
  last: number;
}

/** Does this line open a block of a shape? */
function blockStart(line: string): BlockKind | undefined {
  const t = line.trimStart();
  if (t.startsWith('{')) return 'brace';
  if (TABLE_LINE.test(line) || TABLE_ROW_CUT.test(line)) return 'table';
  if (JSON_FIELD.test(line)) return 'json-fields';
  if (PANE_ROW.test(line)) return 'pane';
  if (PANE_LINE.test(line)) return 'pane-line';
  if (REQUEST.test(line)) return 'request';
  return undefined;
}

/** Braces still open after `text`, quotes (JSON's and python's) and escapes respected; `quote` carries an open string across lines. */
function braceDepth(text: string, state: { depth: number; quote: string }): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (state.quote) {
      if (c === '\\') i++;
      else if (c === state.quote) state.quote = '';
      continue;
    }
    if (c === '"' || c === "'") state.quote = c;
    else if (c === '{') state.depth++;
    else if (c === '}') state.depth--;
  }
}

/**
 * Whether a table row ends with its border: `|`, or the mark a fixed-width copy put there instead (`\` or `/`
 * after the padding: the operations guide's tables, cut at the page's width, end every row so).
 */
function closedRow(l: string): boolean {
  return l.endsWith('|') || /\s[\\/]$/.test(l);
}

function cellCount(line: string): number {
  const l = line.trim();
  return l.slice(1, closedRow(l) ? -1 : undefined).split(' | ').length;
}

function tableRows(lines: readonly string[]): [string, string][] {
  const rows: [string, string][] = [];
  for (const raw of lines) {
    const l = raw.trim();
    if (/^\+[-=+]+\+?$/.test(l)) continue;
    const cells = (l.startsWith('|') ? l.slice(1) : l).split('|');
    if (cells.length < 2) continue;
    const key = cells[0].trim();
    // The value may hold `|` itself; the last cell is what the border closes.
    const cut = !l.endsWith('|') && closedRow(l);
    const value = cells
      .slice(1, l.endsWith('|') ? -1 : undefined)
      .join('|')
      .trim()
      .replace(cut ? /\s+[\\/]$/ : /$^/, '');
    if (key === '' && rows.length > 0) rows[rows.length - 1][1] += `\n${value}`;
    else rows.push([key, value]);
  }
  return rows;
}

/** Rows of a listing kept, and characters of a cell. */
const MAX_LISTING_ROWS = 200;
const MAX_CELL = 300;

/** The legacy `nova list` columns (novaclient, Grizzly on), in their order. */
const NOVA_LIST_COLUMNS = ['ID', 'Name', 'Status', 'Task State', 'Power State', 'Networks'];
/** The statuses the compute API gives a server (nova/api/openstack/common.py _STATE_MAP). */
const SERVER_STATUS =
  /^(?:ACTIVE|BUILD|ERROR|SHUTOFF|SUSPENDED|PAUSED|RESCUE|RESIZE|VERIFY_RESIZE|REVERT_RESIZE|MIGRATING|REBOOT|HARD_REBOOT|SHELVED|SHELVED_OFFLOADED|DELETED|SOFT_DELETED|UNKNOWN|PASSWORD|REBUILD)$/;

/**
 * A `nova list` row copied without its header and rules (`| <uuid> | <name> | ERROR | spawning ...`): a uuid, a
 * name, a server status, then the task state and what follows. The legacy table's column names by position.
 */
function headerlessServerRow(cells: readonly string[]): string[] | undefined {
  if (cells.length < 3 || !UUID.test(cells[0]) || cells[0].length !== 36 || !SERVER_STATUS.test(cells[2])) return undefined;
  return NOVA_LIST_COLUMNS.slice(0, Math.min(cells.length, NOVA_LIST_COLUMNS.length));
}

/** A listing table: its first row names the columns, each further row is an item (a row whose first cell is empty continues the one above). */
function listing(lines: readonly string[]): PastedFault | undefined {
  const cells = (l: string): string[] => {
    const t = l.trim();
    const body = t.slice(1, closedRow(t) ? -1 : undefined);
    return body.split('|').map((c) => c.trim());
  };
  const body = lines.filter((l) => l.trim().startsWith('|'));
  // A row of `nova list` copied without its header: its columns are the legacy table's, by position.
  const headerless = headerlessServerRow(cells(body[0] ?? ''));
  if (body.length < (headerless ? 1 : 2)) return undefined;
  const columns = headerless ?? cells(body[0]);
  if (columns.length < 3 || columns.some((c) => c === '')) return undefined;
  const rows: Record<string, string>[] = [];
  for (const l of headerless ? body : body.slice(1)) {
    const c = cells(l);
    if (c.length !== columns.length) continue;
    if (c[0] === '' && rows.length > 0) {
      const last = rows[rows.length - 1];
      columns.forEach((k, i) => {
        if (c[i]) last[k] = `${last[k]} ${c[i]}`.trim().slice(0, MAX_CELL);
      });
      continue;
    }
    if (rows.length >= MAX_LISTING_ROWS) break;
    // A copy cut at the right ends its last cell with `...`.
    rows.push(Object.fromEntries(columns.map((k, i) => [k, c[i].replace(/\s*(?:\.\.\.|…)$/, '').slice(0, MAX_CELL)])));
  }
  if (rows.length === 0) return undefined;
  return { shape: 'listing', message: `${rows.length} row(s): ${columns.join(' | ')}`, rows, failed: false, level: 'INFO' };
}

function fromFields(shape: PastedShape, fields: [string, string][], text: string): PastedFault {
  const get = (k: string): string | undefined => fields.find(([f]) => f === k)?.[1];
  const fault = get('fault');
  const f = fault ? faultInText(fault) : undefined;
  const status = get('status');
  const task = get('OS-EXT-STS:task_state');
  const id = get('id');
  const out: PastedFault = {
    shape: f ? shape : shape === 'server-table' ? 'table' : shape,
    message: f?.message ?? fields.map(([k, v]) => `${k}: ${v.split('\n')[0]}`).join('; '),
    ...f,
    instanceUuid: f?.instanceUuid ?? (id && UUID.test(id) ? id : undefined),
    move: f?.move ?? moveOfState(task) ?? moveOfState(status),
    fields: Object.fromEntries(fields.slice(0, 40).map(([k, v]) => [k, v.length > 300 ? `${v.slice(0, 300)}…` : v])),
    failed: !!f,
    level: f ? 'ERROR' : 'INFO',
  };
  if (!f && /^ERROR$/i.test(status ?? '')) out.level = 'ERROR';
  void text;
  return out;
}

function fromBlock(kind: BlockKind, held: readonly Held[], request?: string): PastedFault | undefined {
  const lines = held.map((h) => h.line);
  const text = lines.join('\n');
  if (kind === 'brace') {
    const f = faultInText(text);
    if (!f) return undefined;
    const api = /["']server["']\s*:\s*\{/.test(text) || /["']fault["']\s*:\s*\{/.test(text);
    if (request && !f.instanceUuid) f.instanceUuid = SERVER_URL.exec(request)?.[1];
    if (api) {
      const status = /["']status["']\s*:\s*["'](\w+)["']/.exec(text)?.[1];
      f.move ??= moveOfState(status) ?? moveOfState(/["']OS-EXT-STS:task_state["']\s*:\s*["'](\w+)["']/.exec(text)?.[1]);
    }
    return { shape: api ? 'api-response' : 'fault-dict', ...f, level: 'ERROR' };
  }
  if (kind === 'table') {
    // A `show` table has two columns, field and value; a listing has more, a row per item and no fault.
    if (!lines.every((l) => !l.trim().startsWith('|') || cellCount(l) <= 2)) return listing(lines);
    const rows = tableRows(lines);
    if (rows.length === 0) return undefined;
    return fromFields(rows.some(([k]) => k === 'fault') ? 'server-table' : 'table', rows, text);
  }
  if (kind === 'json-fields') {
    const fields = lines.map((l) => JSON_FIELD.exec(l)).flatMap((m) => (m ? [[m[1], m[2].replace(/^"|"$/g, '')] as [string, string]] : []));
    // A server's fields (`server show -f json`), not any JSON's.
    if (fields.some(([k]) => SERVER_FIELDS.test(k))) return fromFields('json-fields', fields, text);
    // Or a fault's own without its braces (a client's log quoting the body, cut by the quoter): its message one of nova's texts.
    const get = (k: string): string | undefined => fields.find(([f]) => f === k)?.[1];
    const message = get('message')?.trim();
    // A log record carried as a JSON string (an aggregator's event) is no fault's message.
    if (!message || startsRecord(message) || !namedException(message)) return undefined;
    const code = get('code');
    const f = finish({ message, code: code && /^\d{3}$/.test(code) ? +code : undefined, created: get('created'), failed: true }, '');
    return { shape: 'fault-dict', ...f, level: 'ERROR' };
  }
  if (kind === 'pane-line') {
    const m = PANE_LINE.exec(lines[0])!;
    // The traceback's frames ran together with the wrapping: one line per `File "…"` again.
    const details = [m[3] ?? '', ...lines.slice(1).map((l) => l.trim())]
      .join(' ')
      .split(/ (?=File ")/)
      .map((l) => l.trim())
      .filter(Boolean);
    return {
      shape: 'dashboard-pane',
      ...finish({ message: m[1], code: +m[2], details: details.length ? details : undefined, failed: true }, text),
      level: 'ERROR',
    };
  }
  // A pane: two label rows at least, one of them a status code.
  const rows = lines.map((l) => PANE_ROW.exec(l)!).map((m) => [m[1].trim(), m[2].trim()] as const);
  const code = rows.find(([, v]) => /^\d{3}$/.test(v));
  if (rows.length < 2 || !code) return undefined;
  const message = rows.find((r) => r !== code)![1];
  const created = rows.map(([, v]) => v).find((v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(v));
  const details = rows.filter((r) => r !== code && r[1] !== message && r[1] !== created).map(([, v]) => v);
  return {
    shape: 'dashboard-pane',
    ...finish({ message, code: +code[1], created, details: details.length ? details : undefined, failed: true }, text),
    level: 'ERROR',
  };
}

/**
 * Paste mode's first reader: takes the lines of a fault, a client's error, a
 * CLI table or Heat's events and makes each one `PastedFault`; every other
 * line goes to `pass` (the oslo parser), in order. A block it opened and then
 * found to be none of its shapes is passed on whole, line by line.
 */
export class FaultReader {
  private kind: BlockKind | undefined;
  private held: Held[] = [];
  private chars = 0;
  private braces = { depth: 0, quote: '' };
  private request: Held | undefined;
  /** The API call keystoneauth's debug log showed last, and the one whose body a block holds. */
  private http: HttpExchange | undefined;
  private answering: HttpExchange | undefined;
  /** A response's status or headers were the last line: a body that follows is its. */
  private awaiting: HttpExchange | undefined;
  /** A block was given back at its cap: what follows up to a blank line is its rest. */
  private skipping = false;
  /** The move the last command typed asks for: what follows it is that move's outcome. */
  commandMove: string | undefined;
  /** The destination the last move command typed asks for. */
  commandHost: string | undefined;
  /** The server the last client command typed names by id (`openstack server show <id>`, `nova migrate <id>`). */
  commandServer: string | undefined;
  /** The consumer the last command typed shows the allocations of (osc-placement's `resource provider allocation show`). */
  commandConsumer: string | undefined;
  /** The last client command typed, when it acts without building or moving (otherActionOf). */
  commandAction: string | undefined;
  /** The last move command's move and server, while only commands that show state follow it. */
  private typedMove: { move: string; server: string } | undefined;

  constructor(
    private readonly take: (f: PastedFault, first: number, last: number, raw: string, lines: number) => void,
    private readonly pass: (line: string, lineNo: number, last: number) => void,
    /** A line known to be a client's own (keystoneauth's debug of its calls): no log's, counted apart. */
    private readonly aside: (line: string, lineNo: number, last: number) => void = pass,
  ) {}

  push(raw: string, lineNo: number, last = lineNo): void {
    // A JSON body quoted inside another's string (a client's debug log): its fields' quotes escaped once more.
    const line = ESCAPED_FIELD.test(raw) ? raw.replace(/\\(["\\])/g, '$1') : raw;
    const carried = this.kind === 'request' ? undefined : recordsInJsonField(line);
    if (carried) {
      // A log record an aggregator kept as an event's JSON string: its lines are the log reader's, not a fault's.
      if (this.kind) this.flush();
      for (const l of carried) this.pass(l, lineNo, last);
      return;
    }
    if (this.kind === 'request') {
      const req = this.held[0];
      if (line.trimStart().startsWith('{')) {
        // The request line stands before the body it was answered with: kept for the server it names.
        this.reset();
        this.request = req;
        this.open('brace', line, lineNo, last);
        return;
      }
      this.giveBack();
    } else if (this.kind && this.continues(line)) {
      this.hold(line, lineNo, last);
      if (this.kind === 'brace' && this.braces.depth <= 0 && !this.braces.quote) this.flush();
      else if (this.held.length >= MAX_BLOCK_LINES || this.chars >= MAX_BLOCK_CHARS) {
        // Too long for a fault: the rest of this block is not one either, up to the next blank line.
        this.giveBack();
        this.skipping = true;
      }
      return;
    } else if (this.kind) this.flush();
    if (this.skipping) {
      if (line.trim().length === 0) this.skipping = false;
      this.pass(line, lineNo, last);
      return;
    }
    // A prompt the paste reader did not take off (text read without it): the command still says what follows.
    const typed = promptOf(line.trim());
    if (typed) {
      this.typed(typed.command);
      this.pass(line, lineNo, last);
      return;
    }
    if (this.httpLog(line, lineNo, last)) return;
    const one = oneLine(line);
    if (one) {
      this.emit(one, lineNo, last, line, 1);
      return;
    }
    const awaited = this.awaiting;
    this.awaiting = undefined;
    const kind = blockStart(line);
    if (kind === 'brace' && awaited) {
      this.answering = awaited;
      awaited.answered = true;
    }
    if (kind) this.open(kind, line, lineNo, last);
    else this.pass(line, lineNo, last);
  }

  end(): void {
    if (this.kind === 'request') this.giveBack();
    else if (this.kind) this.flush();
  }

  /** A command typed in the paste (its prompt line, which the paste reader keeps from the log reader). */
  typed(command: string): void {
    this.end();
    // A command typed ends the client output of the one before.
    this.http = undefined;
    this.awaiting = undefined;
    this.commandMove = moveOfCommand(command);
    this.commandAction = otherActionOf(command);
    this.commandHost = this.commandMove ? hostOfCommand(command) : undefined;
    this.commandConsumer = CONSUMER_ALLOCATIONS_COMMAND.exec(command.trim())?.[1];
    const ids = /^(?:(?:sudo|time)\s+)?(?:openstack server|nova) /.test(command.trim())
      ? command.match(new RegExp(UUID.source, 'g'))
      : null;
    this.commandServer = ids && new Set(ids).size === 1 ? ids[0] : undefined;
    const server = this.commandMove ? serverOfMoveCommand(command) : undefined;
    if (this.commandMove && server) this.typedMove = { move: this.commandMove, server };
    else if (!SHOWS_STATE.test(command.trim())) this.typedMove = undefined;
  }

  private emit(f: PastedFault, first: number, last: number, raw: string, lines: number): void {
    if (f.shape === 'listing') {
      const refused = refusedRows(f.rows ?? []);
      for (const r of refused) this.emit(r, first, last, raw, lines);
      // A row per server, each refused: the rows are the records, the listing adds nothing to them.
      if (refused.length > 0 && refused.length === f.rows?.length) return;
    }
    // A client's error after an action of no build or move (adding a floating IP): that action's error.
    if (f.failed && !f.move && f.shape === 'cli-error' && this.commandAction) f.action = this.commandAction;
    if (f.failed) {
      f.move ??= this.commandMove;
      if (f.move && f.move === this.commandMove) f.destination ??= this.commandHost;
    }
    if (f.failed && f.shape === 'cli-error' && refusedAsAsked(f, f.code)) f.failed = false;
    f.instanceUuid ??= this.commandServer;
    // The consumer's allocations, a row per provider (osc-placement prints no consumer in the table).
    if (f.shape === 'listing' && this.commandConsumer && f.rows?.[0] && 'resource_provider' in f.rows[0]) f.consumer = this.commandConsumer;
    if (f.shape === 'listing' && this.typedMove) {
      f.move ??= this.typedMove.move;
      f.movedServer = this.typedMove.server;
    }
    this.take(f, first, last, raw, lines);
  }

  private open(kind: BlockKind, line: string, lineNo: number, last: number): void {
    this.kind = kind;
    this.braces = { depth: 0, quote: '' };
    this.hold(line, lineNo, last);
    if (kind === 'brace' && this.braces.depth <= 0 && !this.braces.quote) this.flush();
  }

  private hold(line: string, lineNo: number, last: number): void {
    this.held.push({ line, lineNo, last });
    this.chars += line.length;
    if (this.kind === 'brace') braceDepth(line, this.braces);
  }

  private continues(line: string): boolean {
    switch (this.kind) {
      case 'brace':
        return true;
      case 'table':
        return TABLE_LINE.test(line);
      case 'json-fields':
        return JSON_FIELD.test(line);
      case 'pane':
        return PANE_ROW.test(line);
      case 'pane-line':
        // Its details wrapped over the lines after it, to a blank line.
        return line.trim().length > 0;
      default:
        return false;
    }
  }

  private flush(): void {
    const held = this.held;
    const req = this.request;
    const http = this.answering;
    const f = fromBlock(this.kind!, held, req?.line ?? (http?.url ? `${http.method} ${http.url}` : undefined));
    this.reset();
    const all = req ? [req, ...held] : held;
    if (!f) {
      for (const h of all) this.pass(h.line, h.lineNo, h.last);
      return;
    }
    if (http?.status && http.status >= 400 && http.url && !(http.method === 'POST' && SERVER_CALL.test(http.url))) {
      // A call that neither builds nor moves (a listing, a lookup, another service's): its error is no server's failure.
      // (A call whose request was not pasted is judged by its answer, below.)
      f.failed = false;
    } else if (http?.status && http.status >= 400) {
      // The API refused or failed the call itself: its error, under the request id nova-api logged it with.
      f.code ??= http.status;
      f.requestId ??= http.requestId;
      f.move ??= http.move;
      if (f.move && f.move === http.move) f.destination ??= http.destination;
      f.failed = !CALLER_REFUSED.has(http.status) && !refusedAsAsked(f, http.status);
    }
    this.emit(f, all[0].lineNo, all[all.length - 1].last, all[0].line, all.length);
  }

  /** A line of keystoneauth's debug log: the call remembered, its body read as a block. False for any other line. */
  private httpLog(line: string, lineNo: number, last: number): boolean {
    if (KS_REQ_ANY.test(line)) {
      // Every request line starts another exchange, its URL read or not: nothing of the one before carries over.
      const req = KS_REQ.exec(line);
      const old = req ? undefined : KS_REQ_OLD.exec(line);
      const key = ACTION_BODY_KEY.exec(line)?.[1];
      const move = key ? ACTION_MOVES[key] : undefined;
      const [method, url] = req ? [req[1], req[2]] : old ? [old[2], old[1]] : [undefined, undefined];
      this.http = { method, url, move, destination: move ? ACTION_HOST.exec(line)?.[1] : undefined };
      this.awaiting = undefined;
      this.aside(line, lineNo, last);
      return true;
    }
    const resp = KS_RESP.exec(line);
    if (resp) {
      if (this.http && this.http.status === undefined) {
        this.http.status = +resp[1];
        this.http.requestId = KS_REQUEST_ID.exec(line)?.[1];
      }
      this.aside(line, lineNo, last);
      return true;
    }
    const jReq = JERSEY_REQ.exec(line);
    const jStatus = jReq ? undefined : JERSEY_STATUS.exec(line);
    if (jReq || jStatus) {
      if (jReq) this.http = { method: jReq[1], url: jReq[2] };
      // The response to the request logged before it, or (the paste opening at the response) to an unknown one.
      else this.awaiting = this.http = { ...(this.http?.status === undefined ? this.http : {}), status: +jStatus![1] };
      this.aside(line, lineNo, last);
      return true;
    }
    const header = JERSEY_HEADER.exec(line);
    if (header || JERSEY_NOTE.test(line)) {
      if (header && this.http?.status !== undefined && !this.http.answered) {
        if (/^x-(?:compute|openstack)-request-id$/i.test(header[1])) this.http.requestId ??= /^req-[0-9a-f-]{36}/.exec(header[2])?.[0];
        this.awaiting = this.http;
      }
      this.aside(line, lineNo, last);
      return true;
    }
    if (KS_OTHER.test(line)) {
      this.aside(line, lineNo, last);
      return true;
    }
    const body = KS_BODY.exec(line);
    if (!body) return false;
    this.answering = this.http;
    if (this.http) this.http.answered = true;
    this.open('brace', line.slice(body[0].length), lineNo, last);
    return true;
  }

  /** Not one of the shapes after all (or too long to be one): every line goes on to the log reader. */
  private giveBack(): void {
    const held = this.request ? [this.request, ...this.held] : this.held;
    this.reset();
    for (const h of held) this.pass(h.line, h.lineNo, h.last);
  }

  private reset(): void {
    this.kind = undefined;
    this.held = [];
    this.chars = 0;
    this.request = undefined;
    this.answering = undefined;
  }
}

/** Does a text file's head hold a fault, a client's error, a CLI table or Heat's events a person pasted? (Decides that a loose file is read.) */
export function looksLikeFaultText(head: string): boolean {
  let found = false;
  const r = new FaultReader(
    () => {
      found = true;
    },
    () => {},
  );
  let n = 0;
  for (const line of head.split('\n')) {
    if (++n > 200) break;
    // As the paste reader gives it: a ticket's `> ` quote off, a comment's `# ` (a root prompt's command is no fault).
    r.push(
      line
        .replace(/\r$/, '')
        .replace(/^\s*(?:>\s?)+/, '')
        .replace(/^\s*#[ \t]/, ''),
      n,
    );
  }
  r.end();
  return found;
}

/** The event's `pasted` mark from what the reader found. */
/**
 * A client service's own log relaying a server's fault: heat-engine's server resource found the server in ERROR and
 * raised ResourceInError with the fault's message and code (heat/engine/clients/os/nova.py `_check_active`, every
 * release since Icehouse). Read as the fault itself, seen from outside, as heat's stack events are.
 */
export function relayedFault(exception: { type: string; message: string }): PastedResult | undefined {
  if (exception.type !== 'ResourceInError') return undefined;
  const m = HEAT_FAULT.exec(exception.message);
  if (!m || m[1].trim() === 'Unknown') return undefined;
  const f = finish({ message: m[1].trim(), code: m[2] === 'Unknown' ? undefined : +m[2], failed: true }, '');
  return pastedResult({ shape: 'client-log', ...f, level: 'ERROR' });
}

export function pastedResult(f: PastedFault): PastedResult {
  return {
    shape: f.shape,
    fault: f.failed ? { message: f.faultMessage ?? f.message, code: f.code, created: f.created } : undefined,
    move: f.move,
    destination: f.destination,
    fields: f.fields,
    rows: f.rows,
    movedServer: f.movedServer,
    consumer: f.consumer,
    action: f.action,
  };
}
