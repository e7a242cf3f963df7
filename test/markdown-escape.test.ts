import test from 'ava';
import { marked } from 'marked';
import { findingDetail } from '../src/views/findings-markdown.js';
import type { Finding } from '../src/model/finding.js';
import { cell, codeSpan, fence, inline } from '../src/views/markdown/escape.js';

const html = (md: string): string => marked.parse(md, { gfm: true, async: false }) as string;
/** HTML the text could smuggle in: images, scripts, or a link whose text hides its target (GFM's autolinks of a bare URL show the URL itself). */
const SMUGGLED = /<img|<script|<a [^>]*>(?!https?:\/\/)/;

const PAYLOAD =
  'open ` <img src=https://evil.example/x.png> [click](https://evil.example) [ref]: https://evil.example <script>alert(1)</script>';

test('log text cannot open HTML, links or code spans in the report', (t) => {
  const out = html(`1. ${inline(PAYLOAD)} — ${codeSpan('cmp01:nova-compute.log:7')}`);
  t.false(SMUGGLED.test(out), out);
  // The citation after the text is still its own code span.
  t.regex(out, /<code>cmp01:nova-compute\.log:7<\/code>/);
  // What was written is still all there, as text.
  t.regex(out.replace(/<[^>]+>/g, ''), /\[click\]\(https:\/\/evil\.example\)/);
});

test('a masked secret, comparisons and a bare [x] read as written', (t) => {
  for (const s of [
    'password=***',
    'used 11426 < 1024 requested',
    "instances: ['5ae72bc6']",
    'set [scheduler] discover_hosts_in_cells_interval',
  ])
    t.is(inline(s), s);
});

test('code spans and fences hold any backtick run', (t) => {
  t.regex(html(codeSpan('a `` b')), /<code>a `` b<\/code>/);
  const block = html(['- why', '', ...fence('echo ```\nnext line', 'sh').map((l) => `  ${l}`)].join('\n'));
  t.regex(block, /<code class="language-sh">echo ```\nnext line\n<\/code>/);
  t.is(cell('a | b\nc'), 'a \\| b c');
});

test('a finding whose texts come from the inputs renders as text (instance names are user-chosen)', (t) => {
  const f: Finding = {
    code: 'missing-instance-mapping',
    cause: 'missing-instance-mapping',
    severity: 'error',
    subject: { instanceUuid: '2f565c93-6eec-4a74-b8e8-f55638b56da3' },
    evidence: [{ text: `nova.instances: 2f565c93 (${PAYLOAD})`, source: { db: 'nova', table: 'instances', key: '2f565c93' } }],
    explanation: `Instance ${PAYLOAD} exists`,
    remediation: [{ command: 'echo ```\nnova-manage cell_v2 map_instances --cell_uuid x', why: 'a two-line command' }],
  };
  const out = html(findingDetail(f).join('\n'));
  t.false(SMUGGLED.test(out), out);
  t.regex(out, /<code>nova\.instances 2f565c93<\/code>/);
  t.regex(out, /<code class="language-sh">echo ```\nnova-manage cell_v2 map_instances --cell_uuid x\n<\/code>/);
});
