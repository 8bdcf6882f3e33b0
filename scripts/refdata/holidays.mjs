// Regenerates src/Chengxin.Core/Calendar/holidays.json: China's official public holidays and
// adjusted working days (State Council notices), per year, from npm chinese-days
// (dist/chinese-days.json: `holidays`, `workdays` = weekend days that are working days,
// `inLieuDays` = the subset of holidays that were paid for by a working weekend day).
//
// Output: {"source":"npm chinese-days <version>","years":{"2025":{"holidays":[...],"workdays":[...]}}}
//   holidays: every official day off listed for the year (weekdays and weekends alike), sorted
//   workdays: weekend days that are working days, sorted
// Every year from the first to the last the package covers must have holidays; a gap is an error.
//
// Usage: cd scripts/refdata && npm install && node holidays.mjs
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('chinese-days/package.json'));
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const data = JSON.parse(readFileSync(join(pkgDir, 'dist/chinese-days.json'), 'utf8'));
const out = resolve(here, '../../src/Chengxin.Core/Calendar/holidays.json');

const fail = (msg) => { console.error(`holidays: ${msg}`); process.exit(1); };
const weekday = (d) => new Date(`${d}T00:00:00Z`).getUTCDay(); // 0 = Sunday, 6 = Saturday
const isDate = (d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

for (const key of ['holidays', 'workdays']) {
  if (!data[key] || typeof data[key] !== 'object') fail(`dist/chinese-days.json has no "${key}"`);
  for (const d of Object.keys(data[key])) if (!isDate(d)) fail(`${key}: bad date ${d}`);
}
const holidays = Object.keys(data.holidays).sort();
const workdays = Object.keys(data.workdays).sort();
for (const d of workdays) {
  if (weekday(d) !== 0 && weekday(d) !== 6) fail(`workday ${d} is not a Saturday or Sunday`);
  if (data.holidays[d]) fail(`${d} is both a holiday and a workday`);
}
for (const d of Object.keys(data.inLieuDays ?? {})) if (!data.holidays[d]) fail(`in-lieu day ${d} is not a holiday`);

const allYears = [...new Set([...holidays, ...workdays].map((d) => d.slice(0, 4)))].sort();
const years = {};
for (let y = Number(allYears[0]); y <= Number(allYears.at(-1)); y++) {
  const h = holidays.filter((d) => d.startsWith(`${y}-`));
  if (h.length === 0) fail(`no holidays for ${y}: a year with no data is an error, not a guess`);
  years[y] = { holidays: h, workdays: workdays.filter((d) => d.startsWith(`${y}-`)) };
}

// Spot checks against the State Council notices; fail loudly if a refresh changes these.
const checks = {
  2025: {
    holidays: ['2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02',
      '2025-02-03', '2025-02-04', '2025-04-04', '2025-04-05', '2025-04-06', '2025-05-01', '2025-05-02', '2025-05-03',
      '2025-05-04', '2025-05-05', '2025-05-31', '2025-06-01', '2025-06-02', '2025-10-01', '2025-10-02', '2025-10-03',
      '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    holidays: ['2026-01-01', '2026-01-02', '2026-01-03', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18',
      '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23', '2026-04-04', '2026-04-05', '2026-04-06',
      '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', '2026-06-19', '2026-06-20', '2026-06-21',
      '2026-09-25', '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05',
      '2026-10-06', '2026-10-07'],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};
for (const [y, exp] of Object.entries(checks)) {
  for (const key of ['holidays', 'workdays']) {
    const got = years[y]?.[key] ?? [];
    if (JSON.stringify(got) !== JSON.stringify(exp[key])) {
      fail(`check failed: ${y} ${key}\n  expected ${exp[key].join(' ')}\n  got      ${got.join(' ')}`);
    }
  }
}

const doc = { source: `npm chinese-days ${version}`, years };
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(doc, null, 2) + '\n', 'utf8');
for (const [y, v] of Object.entries(years)) console.log(`${y}: ${v.holidays.length} holidays, ${v.workdays.length} workdays`);
console.log(`wrote ${Object.keys(years).length} years (${Object.keys(years)[0]}-${Object.keys(years).at(-1)}) to ${out}`);
