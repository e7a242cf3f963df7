import type { ObfuscationNote } from '../model/report.js';
/** That names were replaced, and how many: no mapping. */
export function obfuscationLine(o: ObfuscationNote): string {
  const counts = Object.entries(o.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return `Obfuscated (--obfuscate): host names, domains, addresses, users and ids are placeholders${counts ? ` (${counts})` : ''}${o.keyed ? ', stable for this --obfuscate-key' : ''}${o.sosCleaned ? '; the hosts were already cleaned by sos clean, whose names and IPv4 addresses are kept' : ''}. The mapping is not in this output.`;
}
