/**
 * Undo what terminals, syslog and python2 did to a log line before we saw it:
 * colour codes (real ESC bytes, the literal text `\x1b[00m`, rsyslog's
 * `#033[00m`) and escaped unicode (`\uXXXX` with surrogate pairs,
 * `\UXXXXXXXX`, runs of `\xNN` that are UTF-8 bytes of a python2 repr).
 *
 * Both functions return the input string itself when there is nothing to do,
 * so the common line costs one or two `indexOf` calls.
 */

// SGR (ESC[…m), colours only; the literal forms are what python's repr and rsyslog write. Any
// other sequence (ESC[2J, OSC, DCS…) stays in the text, and outputs show it escaped (src/report/sanitise.ts):
// a line that is nothing but one must not read as empty.
const COLOUR = /(?:\x1b|\\x1b|\\033|#033|\\u001b)\[[0-9;]*m/g;

export function stripColour(line: string): string {
  // `1b[` covers `\x1b[` and `\u001b[`; `033[` covers `#033[` and `\033[`.
  if (line.indexOf('\x1b') === -1 && line.indexOf('1b[') === -1 && line.indexOf('033[') === -1) return line;
  return line.replace(COLOUR, '');
}

const ESCAPE = /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|((?:\\x[0-9a-fA-F]{2})+)/g;

function hexRun(run: string): string {
  const bytes = Buffer.alloc(run.length / 4);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 4 + 2, i * 4 + 4), 16);
  // python2 reprs of byte strings hold UTF-8; fall back to latin-1 when it is not.
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\uFFFD') ? bytes.toString('latin1') : utf8;
}

/** Decodes `\uXXXX`, `\UXXXXXXXX` and `\xNN` escapes; other backslashes are left alone. */
export function decodeEscapes(line: string): string {
  if (line.indexOf('\\') === -1) return line;
  const out = line.replace(ESCAPE, (_m, u4: string | undefined, u8: string | undefined, xs: string | undefined) => {
    if (u4 !== undefined) {
      // Surrogate halves come as two \u escapes; emitting each code unit rejoins the pair.
      return String.fromCharCode(parseInt(u4, 16));
    }
    if (u8 !== undefined) {
      const code = parseInt(u8, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : _m;
    }
    return hexRun(xs!);
  });
  return out;
}

/** Colour codes stripped, then escapes decoded: the text an operator means to read. */
export function decodeLine(line: string): string {
  return decodeEscapes(stripColour(line));
}
