import type { ReportWindow } from '../model/report.js';

/** `--since` / `--until` in words: what was analysed, and what was left outside (said wherever the report is). */
export function windowLine(w: ReportWindow): string {
  const bounds = [w.since ? `from ${w.since}` : '', w.until ? `until ${w.until}` : ''].filter(Boolean).join(' ');
  const left = [
    w.linesPassedOver ? `${w.linesPassedOver.toLocaleString('en-US')} log lines outside it were not read` : '',
    w.eventsLeftOut ? `${w.eventsLeftOut.toLocaleString('en-US')} events read outside it were left out` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `Window (--since/--until): only the logs ${bounds} were analysed, times as each host wrote them${left ? `; ${left}` : ''}. A request begun before it lacks its first steps here; database dumps were read whole.`;
}
