import test from 'ava';
import { AMBIGUOUS, MONTH_LOCALES, monthNumber, monthTable, normaliseMonthName } from '../parsers/month-names.js';
import { GLIBC_ABMON } from '../parsers/month-names.data.js';
import { yearMonthFromDate } from '../parsers/timestamps.js';

const NOVA_LANGUAGES = ['cs', 'de', 'es', 'fr', 'it', 'ja', 'ko', 'pl', 'pt-BR', 'ru', 'tr', 'zh-CN', 'zh-TW', 'id'];

test("every month glibc's %b prints, in every locale generated, is read as that month", (t) => {
  t.true(Object.keys(GLIBC_ABMON).length >= 30);
  for (const l of NOVA_LANGUAGES) t.truthy(GLIBC_ABMON[l], `glibc's months of ${l}`);
  for (const [locale, months] of Object.entries(GLIBC_ABMON)) {
    // Catalan's `de gen.` has a space inside: not a token a syslog time can hold.
    if (locale === 'ca') continue;
    months.forEach((name, i) => {
      t.is(monthNumber(name), i + 1, `${locale} ${JSON.stringify(name)}`);
    });
  }
});

test("CLDR's short and long names of nova's languages are read too, where glibc differs", (t) => {
  for (const locale of MONTH_LOCALES) {
    for (const style of ['short', 'long'] as const) {
      const f = new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' });
      for (let m = 1; m <= 12; m++) {
        const name = f.format(new Date(Date.UTC(2024, m - 1, 15, 12)));
        if (AMBIGUOUS.has(normaliseMonthName(name))) continue;
        t.is(monthNumber(name), m, `${locale} ${style} ${name}`);
      }
    }
  }
  // The forms the issue names, whichever table they come from.
  t.is(monthNumber('szept'), 9);
  t.is(monthNumber('Okt'), 10);
  t.is(monthNumber('sept.'), 9);
  t.is(monthNumber(' 9月'), 9);
  t.is(monthNumber('дек'), 12);
  t.is(monthNumber('сент.'), 9, "CLDR's Russian");
  t.is(monthNumber('čvn'), 6, "CLDR's Czech June");
  t.is(monthNumber('čen'), 6, "glibc's Czech June");
});

test('no name stands for two months; words that are no month are not read as one', (t) => {
  t.deepEqual([...AMBIGUOUS], []);
  for (const word of ['Error', 'INFO', 'kernel', 'nova', 'Traceback', 'req', '13月']) t.is(monthNumber(word), undefined, word);
  t.true(monthTable().size > 400);
});

test("sos's `date` in the machine's locale gives the collection month", (t) => {
  t.deepEqual(yearMonthFromDate('Wed Oct  2 16:05:12 UTC 2024\n'), { year: 2024, month: 10 });
  // What `date` prints in these locales (glibc 2.36, locales compiled by localedef).
  t.deepEqual(yearMonthFromDate('mer. 02 oct. 2024 16:05:12 CEST\n'), { year: 2024, month: 10 });
  t.deepEqual(yearMonthFromDate('2024. okt. 2., szerda, 16:05:12 CEST\n'), { year: 2024, month: 10 });
  t.deepEqual(yearMonthFromDate('2024年 10月  2日 水曜日 16:05:12 JST\n'), { year: 2024, month: 10 });
  t.deepEqual(yearMonthFromDate('Ср 02 окт 2024 16:05:12 MSK\n'), { year: 2024, month: 10 });
});
