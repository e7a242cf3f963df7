import test from 'ava';
import { decodeEscapes, decodeLine, stripColour } from '../parsers/text-decode.js';

test('\\uXXXX escapes of the zh_CN NoValidHost message decode to the text (seed 000)', (t) => {
  const escaped = '\\u627e\\u4e0d\\u5230\\u6709\\u6548\\u4e3b\\u673a\\uff0c\\u539f\\u56e0\\u662f \\u3002';
  t.is(decodeEscapes(escaped), '找不到有效主机，原因是 。');
});

test('surrogate pairs, \\U and mixed text', (t) => {
  t.is(decodeEscapes('fire \\ud83d\\udd25 done'), 'fire 🔥 done');
  t.is(decodeEscapes('\\U0001F525'), '🔥');
  t.is(decodeEscapes('path C:\\\\temp and \\n stay'), 'path C:\\\\temp and \\n stay');
});

test('runs of \\xNN are UTF-8 bytes of a python2 repr; latin-1 when they are not UTF-8', (t) => {
  t.is(decodeEscapes("u'\\xe6\\x89\\xbe\\xe4\\xb8\\x8d'"), "u'找不'");
  t.is(decodeEscapes('caf\\xe9'), 'café');
});

test('colour codes: ESC bytes, literal \\x1b, rsyslog #033', (t) => {
  t.is(stripColour('\x1b[01;31mERROR\x1b[00m x'), 'ERROR x');
  t.is(stripColour('microversion: 1.0\\x1b[00m'), 'microversion: 1.0');
  t.is(stripColour('failure: #033[00m done'), 'failure:  done');
  t.is(decodeLine('NoValidHost: \\u627e\\x1b[00m'), 'NoValidHost: 找');
});

test('only colours (SGR) are stripped: any other sequence stays, for the outputs to show escaped', (t) => {
  t.is(stripColour('\x1b[2J'), '\x1b[2J');
  t.is(stripColour('\x1b]0;title\x07 \x1b[31mred\x1b[0m'), '\x1b]0;title\x07 red');
  t.is(decodeLine('\\x1b[2Jclear'), '\x1b[2Jclear');
});

test('lines without escapes come back as the same string', (t) => {
  const s = '2022-02-04 09:37:50.031 21562 INFO os_vif [-] Loaded VIF plugins: linux_bridge, noop, ovs';
  t.is(decodeLine(s), s);
});
