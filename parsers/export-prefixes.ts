import type { PrefixInfo } from './collector-line.js';
import { pattern } from './pattern.js';

/**
 * What log viewers and aggregators put in front of a line they export: Loki's
 * `logcli query` (its default output: RFC 3339 time, the stream's labels, the
 * line) and Grafana's "Download logs" as text (an optional epoch-ms column,
 * the time with milliseconds, a tab, the line). The labels say the host and
 * the file or unit the line came from. Kibana's and OpenSearch's CSV and JSON
 * exports are tables, read by parsers/paste/exports.ts; lnav copies the raw
 * line and needs nothing.
 *
 * The samples' nova lines are real (their source is named); the envelope
 * around each is the tool's, as its source code writes it (named too): no
 * public excerpt of nova's lines exported from Loki was found.
 */

/** prefixes.ts's PrefixFormat, which lists these: declared here so neither module imports the other. */
interface ExportPrefixFormat {
  name: string;
  description: string;
  pattern: RegExp;
  take(m: RegExpExecArray, line: string): PrefixInfo;
  samples: { line: string; source: string; rest: string }[];
}

/** `{filename="/var/log/nova/nova-compute.log", host="cmp01"}` → its labels. */
function labels(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/([A-Za-z_][\w.]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) out.set(m[1], m[2].replace(/\\(.)/g, '$1'));
  return out;
}

const HOST_LABELS = ['host', 'hostname', 'host_name', 'node', 'node_name', 'nodename', 'instance'];
const SOURCE_LABELS = ['filename', 'file', 'path', 'unit', 'systemd_unit', 'container', 'container_name', 'service_name', 'app', 'job'];

function fromLabels(text: string): Pick<PrefixInfo, 'host' | 'tag'> {
  const l = labels(text);
  const host = HOST_LABELS.map((k) => l.get(k)).find((v) => v !== undefined && v !== '');
  const tag = SOURCE_LABELS.map((k) => l.get(k)).find((v) => v !== undefined && v !== '');
  return { host, tag: tag?.slice(tag.lastIndexOf('/') + 1) };
}

export const EXPORT_PREFIX_FORMATS: ExportPrefixFormat[] = [
  {
    name: 'logcli',
    description: "Loki's `logcli query` default output: `<RFC 3339 time> {labels} <line>` (labels padded to one width)",
    pattern: pattern(
      String.raw`^(?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))[ ](?<labels>\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\})[ ]+`,
    ),
    take(m, line) {
      // RFC 3339 with its zone: the wall time as written.
      return { rest: line.slice(m[0].length), collectorTs: m.groups!.ts, clock: 'iso', ...fromLabels(m.groups!.labels) };
    },
    samples: [
      {
        line: '2019-01-21T17:10:08Z {filename="/var/log/nova/nova-compute.log", host="cnf-compute-01"} 2019-01-21 17:10:08.415 32921 ERROR nova.compute.manager [instance: 60e8f0f8-acbc-4be7-a6ac-0b482224bc77] Traceback (most recent call last):',
        source:
          'envelope: grafana/loki pkg/logcli/output/default.go (DefaultOutput.FormatAndPrintln); line: test/corpus/real github-cncf-cnf-testbed-issue101',
        rest: '2019-01-21 17:10:08.415 32921 ERROR nova.compute.manager [instance: 60e8f0f8-acbc-4be7-a6ac-0b482224bc77] Traceback (most recent call last):',
      },
    ],
  },
  {
    name: 'grafana-txt',
    description: 'Grafana\'s "Download logs" as text: `[<epoch ms>\\t]<YYYY-MM-DD HH:mm:ss.SSS>\\t<line>`, after its meta lines',
    pattern: pattern(String.raw`^(?:\d{13}\t)?(?<date>\d{4}-\d\d-\d\d)[ T](?<time>\d\d:\d\d:\d\d(?:\.\d+)?)(?:Z|[+-]\d\d:?\d\d)?\t`),
    take(m, line) {
      // The browser's local time, as Grafana showed it.
      return { rest: line.slice(m[0].length), collectorTs: `${m.groups!.date}T${m.groups!.time}`, clock: 'local' };
    },
    samples: [
      {
        line: '2015-03-13 23:48:02.584\t2015-03-13 23:48:02.584 3487 WARNING nova.scheduler.utils [req-6ccd63e7-58f1-47dc-9c45-623c095faa49 cc73301018d44104a0a76c4a94512565 780221eb5f9f44adbdd7f510306afb77] [instance: 2a877215-9a8c-47b5-8cae-9962c897990b] Setting instance to ACTIVE state.',
        source:
          'envelope: grafana/grafana public/app/features/inspector/utils/download.ts (downloadLogsModelAsTxt); line: test/corpus/real github-puppetlabs-toy-chest-puppetlabs-openstack-issue162',
        rest: '2015-03-13 23:48:02.584 3487 WARNING nova.scheduler.utils [req-6ccd63e7-58f1-47dc-9c45-623c095faa49 cc73301018d44104a0a76c4a94512565 780221eb5f9f44adbdd7f510306afb77] [instance: 2a877215-9a8c-47b5-8cae-9962c897990b] Setting instance to ACTIVE state.',
      },
    ],
  },
];
