import type { ReportFocus } from '../model/report.js';

/** `--instance` in words: what the report keeps, and what it left out (said wherever the report is). */
export function focusLine(f: ReportFocus): string {
  const left = [
    f.incidentsLeftOut ? `${f.incidentsLeftOut.toLocaleString('en-US')} incident(s) about other instances` : '',
    f.findingsLeftOut ? `${f.findingsLeftOut.toLocaleString('en-US')} database finding(s) about other subjects` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return `Instance (--instance): only what is about instance ${f.instance} is reported; every log was still read and correlated${left ? `, and ${left} left out` : ''}.`;
}
