import type { Signature } from './signature.js';

/**
 * When a compute host got its host_mappings row (nova/objects/host_mapping.py
 * discover_hosts, run by `nova-manage cell_v2 discover_hosts` or the
 * scheduler's periodic `discover_hosts_in_cells_interval`), and the
 * scheduler's own word that a host it was asked for has none. A build sent
 * to a host before its mapping existed was buried in cell0; the lines below
 * say when the mapping came.
 */

export const schedulerDiscoveredHosts: Signature = {
  id: 'scheduler.discovered-hosts',
  description:
    "The scheduler's periodic discovery mapped new compute hosts to their cells: `cell:host` pairs, comma-separated; from then on builds sent there find their cell.",
  source: 'nova/scheduler/manager.py _discover_hosts_in_cells (Ocata+, with [scheduler] discover_hosts_in_cells_interval > 0)',
  loggers: ['nova.scheduler.manager'],
  levels: ['INFO'],
  pattern: /^Discovered (?<count>\d+) new hosts?: (?<hosts>\S.*)$/,
  samples: [
    {
      line: '2018-11-28 15:27:30.816 28987 INFO nova.scheduler.manager Discovered 1 new hosts: cell1:d52-54-77-77-01-02',
      seen: 'https://github.com/crowbar/crowbar-openstack/pull/1913 (2018-11-28, Rocky; the PR description quotes it hard-wrapped)',
      fields: { count: '1', hosts: 'cell1:d52-54-77-77-01-02' },
    },
  ],
};

/** The hosts of a "Discovered N new hosts" line: `cell1:cmp03,cell1:cmp04` → `['cmp03', 'cmp04']`. */
export function discoveredHostNames(hosts: string): string[] {
  return hosts
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .map((h) => {
      const colon = h.indexOf(':');
      return colon === -1 ? h : h.slice(colon + 1);
    });
}

export const creatingHostMapping: Signature = {
  id: 'cells.creating-host-mapping',
  description:
    "`nova-manage cell_v2 discover_hosts --verbose` created a host's mapping (its output, wherever it was captured with a time: a journal, a deployment log).",
  source:
    "nova/objects/host_mapping.py _check_and_create_node_host_mappings (Ocata+), _check_and_create_service_host_mappings (Rocky+, --by-service); printed, translated with the operator's locale",
  pattern: /^Creating host mapping for (?:compute host '(?<host>[^']+)'|service (?<service>\S+))/,
  debugNeeds: ['Creating host mapping for '],
  samples: [],
  unsampled:
    "the public line (https://github.com/bloomberg/chef-bcpc/issues/1378, 2018: \"Creating host mapping for compute host 'r1an2': 852125d1-…\") is nova-manage's stdout without a time, which is no event; a journal or syslog capture of nova-manage gives it one",
};

export const schedulerHostNotMapped: Signature = {
  id: 'scheduler.host-not-mapped',
  description:
    'The scheduler looked up the host a request asked for (a build to a given host, a move with a destination) and found no host_mappings row: the host is left out, and the request fails with NoValidHost.',
  source: 'nova/scheduler/host_manager.py _get_cell_by_host (Train+)',
  loggers: ['nova.scheduler.host_manager'],
  levels: ['WARNING'],
  pattern: /^No host-to-cell mapping found for selected host (?<host>\S+?)\.?$/,
  samples: [],
  unsampled: 'no public log line found yet (the text is nova/scheduler/host_manager.py Train+)',
};
