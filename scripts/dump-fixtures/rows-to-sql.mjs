// Turns rows.json into INSERT statements for make-dump-fixtures.sh. Every
// string goes in as a hex literal with a charset introducer and every binary
// value as X'…', so the bytes in the database are exactly those of rows.json
// and no quoting here can hide a quoting bug in the parser under test.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? new URL('./rows.json', import.meta.url);
const { tables } = JSON.parse(readFileSync(file, 'utf8'));

const ident = (s) => `\`${s.replace(/`/g, '``')}\``;
function literal(v) {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'string') return v === '' ? "''" : `_utf8mb4 X'${Buffer.from(v, 'utf8').toString('hex')}'`;
  if (v && typeof v.hex === 'string') return v.hex === '' ? "X''" : `X'${v.hex}'`;
  throw new Error(`unsupported value ${JSON.stringify(v)}`);
}

const out = [
  'SET NAMES utf8mb4;',
  "SET time_zone = '+00:00';",
  // Explicit ids (resource class 0 = VCPU) and no silent truncation.
  "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES';",
];
for (const t of tables) {
  out.push(`INSERT INTO ${ident(t.db)}.${ident(t.table)} (${t.columns.map(ident).join(', ')}) VALUES`);
  out.push(`${t.rows.map((r) => `(${r.map(literal).join(', ')})`).join(',\n')};`);
}
process.stdout.write(`${out.join('\n')}\n`);
