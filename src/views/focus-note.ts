import type { ReportFocus } from '../model/report.js';

/** `--instance` in words: what the report keeps, what was not read, and what it left out (said wherever the report is). */
export function focusLine(f: ReportFocus): string {
  const read =
    f.linesPassedOver !== undefined
      ? `the plain oslo.logs' lines naming neither it nor one of its ${f.requests ?? 0} request id(s) were not read (${f.linesPassedOver.toLocaleString('en-US')} lines: other instances' and other requests' lines, and the host's own but for its computes' periodic audits and power-state syncs, which were read); clock offsets come from its requests alone`
      : 'every log was read and correlated';
  const left = [
    f.incidentsLeftOut
      ? `${f.incidentsLeftOut.toLocaleString('en-US')} incident(s) about other instances${f.linesPassedOver !== undefined ? ' in the lines read' : ''}`
      : '',
    f.findingsLeftOut ? `${f.findingsLeftOut.toLocaleString('en-US')} database finding(s) about other subjects` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return `Instance (--instance): only what is about instance ${f.instance} is reported; ${read}${left ? `; ${left} left out` : ''}.`;
}
