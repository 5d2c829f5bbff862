// Section (B) of the demo: the indicator return. Every field is built from the
// chosen rulebook's `assessment` section (`rulebook(id)`): its indicators (name,
// unit, applies_to, the standard in the text's own word), inputs, trends,
// judgements and vetoes. Each keystroke runs `validate('assess', …)` and, once
// the form is valid, `assess`; the verdict, each indicator's status, the
// vetoes, outcomes, notes, the rules applied and the receipt come from the
// core. The words below are the page's own labels.
import { rulebooks, rulebook, citations, validate, assess } from './vendor/jindu/index.mjs';
import { $, $$, el, num, fieldOf, answerFooter } from './ui.js';

const T = {
  zh: {
    'b-title': '指标填报（考评）',
    'b-hint': '选择含考评规则的规则集：表单的指标、标准、输入、认定事项和趋势都由规则集生成。每次输入都会即时校验，并按规则集计算考评结论。',
    'b-subject': '规则集与考评对象',
    'b-rulebook': '规则集',
    'b-area-name': '地区（单位）名称',
    'b-area-level': '层级',
    'b-on': '考评日期',
    'b-period': '考评期间（可选）',
    'b-score': '考核得分（可选）',
    'b-indicators': '指标',
    'b-indicators-hint': '标准照录文本用语（「」内），括号内为本库的读法；未填报的指标记为“未填报”，不按零计。',
    'b-clear': '全部清空',
    'b-inputs': '输入数据',
    'b-inputs-hint': '不是指标本身、但标准或后果要用到的数字（如全国平均水平、实有吸毒人数）。',
    'b-trends': '趋势（可选）',
    'b-trends-hint': '按时间先后填写各期数值，以逗号分隔（如 90, 92）；水平比较需两期，增幅比较需三期。',
    'b-judgements': '认定事项',
    'b-judgements-hint': '文本交由有关机关判断的事项：由您认定“是/否”；未填则相关否决或后果标为“须认定”。',
    'b-result': '考评结论',
    'n-indicators': (n) => `（${n} 项）`,
    'no-indicators': '本规则集未设数值指标。',
    'no-inputs': '本规则集无其他输入。',
    'no-trends': '本规则集未设趋势要求。',
    'no-judgements': '本规则集无须认定的事项。',
    standard: '标准',
    'applies-to': '适用于',
    'no-threshold': '文本未规定阈值（仅记录）',
    reading: '读法',
    'series-ph': '如 90, 92',
    'veto-h': '一票否决',
    'veto-when': '条件：',
    'veto-judgement': (s) => `认定“${s}”`,
    'veto-any': '且下列任一：',
    'veto-unmet': '下列指标未达标：',
    'score-zero': '得分计零',
    'date-unknown': '文本未载明施行日期：',
    'in-force': (from, until) => (until ? `施行期间 ${from} 至 ${until}` : `自 ${from} 起施行`),
    'n-errors': (n) => `表单有 ${n} 处错误，改正后显示考评结论。`,
    'other-errors': '其他错误',
    verdict: '结论',
    'decided-by': '依据',
    score: '得分（否决后）',
    points: '分档得分',
    'ind-h': (n) => `指标（${n} 项）`,
    'not-filled': (n) => `未填报的指标与趋势（${n} 项）`,
    'trends-h': '趋势',
    'vetoes-h': '一票否决',
    'outcomes-h': '后果',
    'brackets-h': '数量档次',
    'notes-h': '说明（条文未规定、解释与未提供的事实）',
    'cited-h': (n) => `适用条文（${n} 条）`,
    receipt: '回执',
    'rulebook-hash': '规则集哈希',
    'request-hash': '请求哈希',
    'library-version': '库版本',
    value: '填报值',
    threshold: '标准值',
    compared: '比较',
    listing: '挂牌',
    'by-rule': '依据',
    yes: '是', no: '否', unset: '未填',
  },
  en: {
    'b-title': 'Indicator return (assessment)',
    'b-hint': 'Choose a rulebook with assessment rules: the indicators, standards, inputs, judgements and trends of the form are built from it. Every entry is checked as you type, and the verdict is computed under the rulebook.',
    'b-subject': 'Rulebook and the area assessed',
    'b-rulebook': 'Rulebook',
    'b-area-name': 'Area (unit) name',
    'b-area-level': 'Level',
    'b-on': 'Assessment date',
    'b-period': 'Period (optional)',
    'b-score': 'Score (optional)',
    'b-indicators': 'Indicators',
    'b-indicators-hint': 'Standards in the text\'s own words (in 「」), with the library\'s reading in brackets; an indicator left empty is "not supplied", never zero.',
    'b-clear': 'clear all',
    'b-inputs': 'Inputs',
    'b-inputs-hint': 'Numbers that are not indicators but that a standard or an outcome uses (a national average, the actual number of drug users).',
    'b-trends': 'Trends (optional)',
    'b-trends-hint': 'The values of successive periods, oldest first, separated by commas (90, 92); a level needs two periods, a growth rate three.',
    'b-judgements': 'Judgements',
    'b-judgements-hint': 'Matters the text leaves to a body\'s judgement: yours to answer yes or no; left empty, the veto or outcome they govern "needs a judgement".',
    'b-result': 'Verdict',
    'n-indicators': (n) => `(${n})`,
    'no-indicators': 'This rulebook sets no numeric indicators.',
    'no-inputs': 'This rulebook needs no other inputs.',
    'no-trends': 'This rulebook sets no trends.',
    'no-judgements': 'This rulebook leaves nothing to judgement.',
    standard: 'Standard',
    'applies-to': 'Applies to',
    'no-threshold': 'the text sets no threshold (recorded only)',
    reading: 'Reading',
    'series-ph': 'e.g. 90, 92',
    'veto-h': 'One-vote veto',
    'veto-when': 'When: ',
    'veto-judgement': (s) => `judged "${s}"`,
    'veto-any': 'and any of: ',
    'veto-unmet': 'these indicators unmet: ',
    'score-zero': 'the score becomes zero',
    'date-unknown': 'The text gives no date of effect: ',
    'in-force': (from, until) => (until ? `in force ${from} to ${until}` : `in force from ${from}`),
    'n-errors': (n) => `The form has ${n} error${n === 1 ? '' : 's'}; the verdict shows once they are corrected.`,
    'other-errors': 'Other errors',
    verdict: 'Verdict',
    'decided-by': 'Rule',
    score: 'Score (after vetoes)',
    points: 'Points from bands',
    'ind-h': (n) => `Indicators (${n})`,
    'not-filled': (n) => `Indicators and trends not supplied (${n})`,
    'trends-h': 'Trends',
    'vetoes-h': 'One-vote vetoes',
    'outcomes-h': 'Outcomes',
    'brackets-h': 'Count brackets',
    'notes-h': 'Notes (silences of the text, readings, facts not given)',
    'cited-h': (n) => `Rules applied (${n})`,
    receipt: 'Receipt',
    'rulebook-hash': 'rulebook hash',
    'request-hash': 'request hash',
    'library-version': 'library version',
    value: 'value',
    threshold: 'threshold',
    compared: 'compared',
    listing: 'listing',
    'by-rule': 'rule',
    yes: 'yes', no: 'no', unset: 'not given',
  },
};

const WORDS = {
  level: {
    national: ['国家', 'national'], province: ['省', 'province'], prefecture: ['市（州）', 'prefecture'], county: ['县（市、区）', 'county'],
    township: ['乡镇（街道、园区）', 'township'], village: ['村（社区）', 'village'], unit: ['单位（部门、学校）', 'unit'],
  },
  unit: { percent: ['%', '%'], count: ['（个数）', '(count)'], hours: ['课时', 'hours'], points: ['分', 'points'], number: ['', ''] },
  verdict: {
    met: ['达标', 'met'],
    unmet: ['未达标', 'not met'],
    vetoed: ['一票否决', 'vetoed'],
    incomplete: ['数据不全，暂无结论', 'incomplete: no verdict yet'],
    not_provided: ['文本未设标准，仅记录', 'no threshold in the text: recorded only'],
  },
  status: {
    met: ['达标', 'met'], unmet: ['未达标', 'not met'], missing: ['未填报', 'not supplied'], no_threshold: ['无阈值', 'no threshold'],
    unchanged: ['持平', 'unchanged'], applies: ['适用', 'applies'], does_not_apply: ['不适用', 'does not apply'],
    requires_judgement: ['须认定', 'needs a judgement'],
    applies_in_principle: ['原则上适用', 'applies in principle'], available: ['可以适用', 'available'],
  },
  modality: { must: ['应当', 'must'], in_principle: ['原则上', 'in principle'], may: ['可以', 'may'] },
  direction: { rise: ['上升', 'must rise'], fall: ['下降', 'must fall'] },
  tier: { rectify: ['重点整治', 'key rectification'], supervise: ['重点督办', 'key supervision'], watch: ['重点关注', 'key watch'] },
};
const OPS = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=' };
const LEVELS = ['national', 'province', 'prefecture', 'county', 'township', 'village', 'unit'];

let lang = 'zh';
const t = (key, ...args) => {
  const v = T[lang][key] ?? T.zh[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
};
const word = (group, value) => {
  const w = WORDS[group]?.[value];
  return w ? w[lang === 'zh' ? 0 : 1] : value;
};
const tx = (text) => (text ? text[lang] ?? text.zh : '');
const fmt = (n) => (typeof n === 'number' ? String(Math.round(n * 1e6) / 1e6) : String(n ?? '—'));

// The assessment rulebooks, and the one chosen.
let books = []; // [{id, title}]
let rbId;
let rb; // the rulebook file
let A; // rb.assessment
let cites; // rule id -> citation in words
let rules; // rule id -> rule
let root; // #view-b
let onRulebook; // called with the new id when another rulebook is chosen

// ---------------------------------------------------------------- the standard, in the text's words

const inputDef = (key) => A.inputs?.find((i) => i.key === key);
const unitText = (unit) => (unit === 'percent' ? '%' : '');

// 「超过95%」, 「95%以上」, 「达到85%以上」, 「150:1」, 「低于 全国新吸毒人员滋生率」, 「不发生」.
function standardWords(c, unit) {
  const th = c.threshold;
  const w = c.word;
  let n;
  if (th.value !== undefined) n = `${fmt(th.value)}${unitText(unit)}`;
  else return w; // of an input (低于 + the input, shown beside) or a ratio (150:1)
  if (w.includes('…')) return w.replace('…', n);
  if (/[0-9０-９零一二两三四五六七八九十百]/.test(w)) return w; // 建成1个, 组织一次, 100%纳入, 零
  if (th.value === 0 && c.op === 'eq') return w; // 不发生, 不被纳入, 所有学校合格达标
  if (/^(以上|以下|以内)$/.test(w)) return `${n}${w}`;
  return `${w}${n}`;
}
// The library's reading, as a formula: ≥ 80, < national_new_user_rate, ≥ ⌈actual users ÷ 150⌉.
function standardFormula(c) {
  const th = c.threshold;
  const op = OPS[c.op] ?? c.op;
  if (th.value !== undefined) return `${op} ${fmt(th.value)}`;
  if (th.input !== undefined) return `${op} ${th.input}`;
  if (th.per) return `${op} ⌈${tx(inputDef(th.per.of)?.text) || th.per.of} ÷ ${th.per.per}⌉`;
  return op;
}
function standardNode(ind) {
  const c = ind.comparison;
  if (!c) return el('span', { class: 'b-std none', text: t('no-threshold') });
  const th = c.threshold;
  const of = th.per ? tx(inputDef(th.per.of)?.text) || th.per.of : th.input !== undefined ? tx(inputDef(th.input)?.text) || th.input : '';
  const beside = !of ? '' : th.per ? `（${of}）` : lang === 'zh' ? of : ` ${of}`;
  return el('span', { class: 'b-std' },
    el('span', { class: 'b-std-words', text: `「${standardWords(c, ind.unit)}」${beside}` }),
    ' ', el('span', { class: 'muted b-std-formula', text: `(${standardFormula(c)})` }));
}

// A trend's requirement: 上升, 下降50%, 增幅下降.
function trendWords(tr) {
  const dir = word('direction', tr.direction);
  const by = tr.by_percent != null ? (lang === 'zh' ? `${fmt(tr.by_percent)}%` : ` by ${fmt(tr.by_percent)}%`) : '';
  if (tr.measure === 'growth_rate') return lang === 'zh' ? `增幅${dir}${by}（需三期）` : `growth rate ${dir}${by} (three periods)`;
  return lang === 'zh' ? `${dir}${by}（需两期）` : `${dir}${by} (two periods)`;
}

// A short citation: the article without the document's title (四、（二）4.).
const shortCite = (rule) => (cites[rule] ?? '').replace(/^《[^》]*》\s*/, '');

// ---------------------------------------------------------------- the form

function tri(name) {
  const box = el('span', { class: 'seg tri', role: 'radiogroup' });
  for (const [value, key] of [['true', 'yes'], ['false', 'no'], ['', 'unset']]) {
    box.append(el('label', {}, el('input', { type: 'radio', name, value, checked: value === '' }), el('span', { 'data-bt': key, text: t(key) })));
  }
  return box;
}
const triValue = (name) => {
  const v = $(`input[name="${CSS.escape(name)}"]:checked`, root)?.value;
  return v === 'true' ? true : v === 'false' ? false : undefined;
};

// A default date of assessment from the rulebook: the last day it is in force,
// or the end of its first year; today where the text gives no date.
function defaultDate() {
  const f = rb.in_force;
  if (f.until) return f.until;
  if (f.from) return `${f.from.slice(0, 4)}-12-31`;
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function chooseRulebook(id) {
  rbId = id;
  rb = rulebook(id);
  A = rb.assessment;
  cites = citations(id);
  rules = Object.fromEntries(rb.rules.map((r) => [r.id, r]));
  const f = $('#b-form').elements;
  f['b-rulebook'].value = id;
  f['b-area-name'].value = rb.jurisdiction?.name?.zh ?? '';
  f['b-area-level'].value = rb.issuer?.level ?? 'county';
  f['b-on'].value = defaultDate();
  f['b-period'].value = '';
  f['b-score'].value = '';
  buildFields();
}

let building = false; // removing a focused field fires 'change': ignore it while rebuilding
function buildFields() {
  building = true;
  try {
    buildFieldsNow();
  } finally {
    building = false;
  }
}
function buildFieldsNow() {
  // Indicators.
  const inds = A.indicators ?? [];
  $('#b-indicators').replaceChildren(
    ...(inds.length ? inds.map((ind) =>
      el('div', { class: 'field b-row', 'data-path': `values.${ind.key}`, 'data-indicator': ind.key },
        el('div', { class: 'b-row-main' },
          el('div', { class: 'b-name' },
            el('span', { 'data-tx': `ind:${ind.key}` }),
            ind.group ? el('span', { class: 'badge b-group', text: ind.group }) : null,
            el('span', { class: 'cite', title: cites[ind.rule] ?? '', text: shortCite(ind.rule) })),
          el('div', { class: 'b-meta' },
            el('span', { class: 'b-std-slot' }),
            ind.applies_to ? el('span', { class: 'b-applies', 'data-applies': ind.key }) : null,
            ind.comparison?.reading ? el('span', { class: 'b-reading', 'data-reading': ind.key }) : null)),
        el('div', { class: 'b-row-input' },
          el('input', { type: 'text', inputmode: 'decimal', name: `v-${ind.key}` }),
          el('span', { class: 'b-unit', 'data-unit': ind.unit }),
          el('span', { class: 'b-status' }))))
      : [el('p', { class: 'muted', 'data-bt': 'no-indicators', text: t('no-indicators') })]),
  );
  $('#b-indicators-set').hidden = !inds.length;

  // Inputs.
  const inputs = A.inputs ?? [];
  $('#b-inputs').replaceChildren(...inputs.map((i) =>
    el('label', { class: 'field', 'data-path': `values.${i.key}` },
      el('span', { 'data-tx': `input:${i.key}` }),
      el('span', { class: 'b-input-line' }, el('input', { type: 'text', inputmode: 'decimal', name: `v-${i.key}` }), el('span', { class: 'b-unit', 'data-unit': i.unit ?? 'number' })))));
  $('#b-inputs-set').hidden = !inputs.length;

  // Trends.
  const trends = A.trends ?? [];
  $('#b-trends').replaceChildren(...trends.map((tr) =>
    el('div', { class: 'field b-row', 'data-path': `series.${tr.key}`, 'data-alias': `values.${tr.key}`, 'data-trend': tr.key },
      el('div', { class: 'b-row-main' },
        el('div', { class: 'b-name' },
          el('span', { 'data-tx': `trend:${tr.key}` }),
          tr.group ? el('span', { class: 'badge b-group', text: tr.group }) : null,
          el('span', { class: 'cite', title: cites[tr.rule] ?? '', text: shortCite(tr.rule) })),
        el('div', { class: 'b-meta' }, el('span', { class: 'b-trend-req', 'data-trend-req': tr.key }))),
      el('div', { class: 'b-row-input' },
        el('input', { type: 'text', name: `s-${tr.key}`, class: 'b-series' }),
        el('span', { class: 'b-status' })))));
  $('#b-trends-set').hidden = !trends.length;

  // Judgements, and the vetoes they govern.
  const judgements = A.judgements ?? [];
  $('#b-judgements').replaceChildren(...judgements.map((j) =>
    el('div', { class: 'field sub', 'data-path': `judgements.${j.key}` },
      el('span', { class: 'sub-text', 'data-tx': `judgement:${j.key}` }), tri(`j-${j.key}`))));
  $('#b-vetoes').replaceChildren(...(A.vetoes ?? []).map((v) =>
    el('div', { class: 'b-veto', 'data-veto': v.key })));
  $('#b-judgements-set').hidden = !judgements.length && !(A.vetoes ?? []).length;
  $('#b-score-field').hidden = !(A.vetoes ?? []).some((v) => v.score_zero) && !(A.rankings ?? []).length;
  $('#b-indicators-count').textContent = '';
  relabel();
}

// Every text that depends on the language.
function relabel() {
  if (!rb) return;
  for (const n of $$('[data-bt]', root)) n.textContent = t(n.dataset.bt);
  const form = $('#b-form');
  const f = form.elements;
  for (const o of f['b-rulebook'].options) o.textContent = tx(books.find((b) => b.id === o.value)?.title);
  for (const o of f['b-area-level'].options) o.textContent = word('level', o.value);

  const inf = rb.in_force;
  $('#b-rb-note').replaceChildren(
    el('span', { text: `${tx(rb.document?.title)} · ${tx(rb.issuer?.name)}` }),
    ' · ',
    inf.date_unknown ? el('span', { class: 'b-date-unknown', text: t('date-unknown') + tx(inf.date_unknown) }) : el('span', { text: t('in-force', inf.from, inf.until) }),
  );
  $('#b-indicators-count').textContent = (A.indicators ?? []).length ? t('n-indicators', A.indicators.length) : '';

  const byKey = (list, key) => list?.find((x) => x.key === key);
  for (const n of $$('[data-tx]', form)) {
    const [kind, key] = n.dataset.tx.split(':');
    const def = kind === 'ind' ? byKey(A.indicators, key) : kind === 'trend' ? byKey(A.trends, key) : kind === 'input' ? byKey(A.inputs, key) : byKey(A.judgements, key);
    n.textContent = tx(def?.name ?? def?.text);
  }
  for (const row of $$('[data-indicator]', form)) {
    const ind = byKey(A.indicators, row.dataset.indicator);
    $('.b-std-slot', row).replaceChildren(el('span', { class: 'muted', text: `${t('standard')}：` }), standardNode(ind));
    $('input', row).setAttribute('aria-label', tx(ind.name));
    row.title = tx(rules[ind.rule]?.text);
  }
  for (const n of $$('[data-applies]', form)) n.textContent = `${t('applies-to')}：${tx(byKey(A.indicators, n.dataset.applies).applies_to)}`;
  for (const n of $$('[data-reading]', form)) n.textContent = `${t('reading')}：${tx(byKey(A.indicators, n.dataset.reading).comparison.reading)}`;
  for (const n of $$('[data-unit]', form)) n.textContent = word('unit', n.dataset.unit);
  for (const n of $$('[data-trend-req]', form)) n.textContent = `${t('standard')}：${trendWords(byKey(A.trends, n.dataset.trendReq))}`;
  for (const n of $$('.b-series', form)) n.placeholder = t('series-ph');
  for (const n of $$('[data-veto]', form)) {
    const v = byKey(A.vetoes, n.dataset.veto);
    const judged = (v.judgements ?? []).map((k) => t('veto-judgement', tx(byKey(A.judgements, k)?.text) || k));
    const any = (v.any_of ?? []).map((c) => `${tx(inputDef(c.input)?.text) || c.input} ${OPS[c.op] ?? c.op} ${fmt(c.value)}（${c.word}）`);
    const unmet = (v.indicators_unmet ?? []).map((k) => tx(byKey(A.indicators, k)?.name) || k);
    n.replaceChildren(
      el('strong', { text: `${t('veto-h')}：` }), tx(v.text), v.score_zero ? ` (${t('score-zero')})` : '', ' ',
      el('span', { class: 'cite', title: cites[v.rule] ?? '', text: shortCite(v.rule) }),
      el('div', { class: 'small muted' }, t('veto-when'), [
        judged.join(lang === 'zh' ? '且' : ' and '),
        any.length ? `${judged.length ? (lang === 'zh' ? '，' : ', ') : ''}${t('veto-any')}${any.join(lang === 'zh' ? '；' : '; ')}` : '',
        unmet.length ? `${t('veto-unmet')}${unmet.join(lang === 'zh' ? '、' : ', ')}` : '',
      ].join('')));
  }
}

// The request, exactly as the form holds it.
function buildRequest() {
  const f = $('#b-form').elements;
  const val = (name) => (f[name]?.value ?? '').trim();
  const req = { area: {} };
  if (val('b-area-name') !== '') req.area.name = val('b-area-name');
  req.area.level = val('b-area-level');
  if (val('b-on') !== '') req.on = val('b-on');
  if (val('b-period') !== '') req.period = val('b-period');
  if (!$('#b-score-field').hidden && num(val('b-score')) !== undefined) req.score = num(val('b-score'));
  const values = {};
  for (const d of [...(A.indicators ?? []), ...(A.inputs ?? [])]) {
    const v = num(val(`v-${d.key}`));
    if (v !== undefined) values[d.key] = v;
  }
  req.values = values;
  const series = {};
  for (const tr of A.trends ?? []) {
    const s = val(`s-${tr.key}`);
    if (s !== '') series[tr.key] = s.split(/[,，、;；\s]+/).filter((x) => x !== '').map(num);
  }
  if (Object.keys(series).length) req.series = series;
  const judgements = {};
  for (const j of A.judgements ?? []) {
    const v = triValue(`j-${j.key}`);
    if (v !== undefined) judgements[j.key] = v;
  }
  if (Object.keys(judgements).length) req.judgements = judgements;
  return req;
}

// ---------------------------------------------------------------- showing answers

function showValidation(v) {
  for (const n of $$('.err', root)) n.remove();
  for (const n of $$('.has-error', root)) n.classList.remove('has-error');
  const loose = [];
  for (const e of v.errors) {
    const f = fieldOf(e.path, root);
    const msg = el('span', { class: 'err', 'data-code': e.code, 'data-error-path': e.path },
      lang === 'zh' ? e.msg_zh : e.msg_en, ' ', el('code', { text: e.code }));
    if (f) {
      f.classList.add('has-error');
      f.append(msg);
    } else loose.push(msg);
  }
  return loose;
}

function ruleLine(id) {
  if (!id) return null;
  return el('span', { class: 'rule-ref', 'data-rule': id }, el('code', { text: id }), ' ', el('span', { class: 'cite-words', text: cites[id] ?? '' }));
}
const badge = (status) => el('span', { class: `badge s-${status}`, 'data-status': status, text: word('status', status) });
const withUnit = (n, unit) => `${fmt(n)}${unit === 'percent' ? '%' : ''}`;

function showAnswer(a, validation, loose) {
  const body = $('#b-result-body');
  body.replaceChildren();
  for (const s of $$('#b-form .b-status', root)) s.replaceChildren();
  if (loose.length) body.append(el('div', { class: 'box error' }, el('strong', { text: t('other-errors') }), el('ul', {}, loose.map((m) => el('li', {}, m)))));
  if (!a) {
    body.append(el('p', { class: 'box error', id: 'b-form-invalid', text: t('n-errors', validation.errors.length) }));
    return;
  }
  const defs = Object.fromEntries((A.indicators ?? []).map((d) => [d.key, d]));

  // Beside each field: its status.
  for (const i of a.indicators) {
    const s = $(`#b-indicators [data-indicator="${CSS.escape(i.indicator)}"] .b-status`, root);
    if (s) s.replaceChildren(badge(i.status));
  }
  for (const tr of a.trends) {
    const s = $(`#b-trends [data-trend="${CSS.escape(tr.trend)}"] .b-status`, root);
    if (s) s.replaceChildren(badge(tr.status));
  }

  const count = (list, st) => list.filter((x) => x.status === st).length;
  const all = [...a.indicators, ...a.trends];
  body.append(
    el('div', { class: `verdict v-${a.verdict}`, 'data-verdict': a.verdict },
      el('div', { class: 'label', text: t('verdict') }),
      el('div', { class: 'big', text: word('verdict', a.verdict) }),
      el('div', { class: 'meta' },
        ...['met', 'unmet', 'unchanged', 'missing', 'no_threshold'].filter((st) => count(all, st)).map((st) =>
          el('span', { class: `badge s-${st}`, text: `${word('status', st)} ${count(all, st)}` })),
        a.verdict_rule ? el('span', {}, `${t('decided-by')}：`, ruleLine(a.verdict_rule)) : null),
      a.verdict_rule && rules[a.verdict_rule] ? el('blockquote', { text: tx(rules[a.verdict_rule].text) }) : null),
  );
  if (a.score != null || a.points != null) {
    body.append(el('dl', { class: 'facts' },
      a.score != null ? [el('dt', { text: t('score') }), el('dd', { id: 'b-score', text: fmt(a.score) })] : null,
      a.points != null ? [el('dt', { text: t('points') }), el('dd', { text: fmt(a.points) })] : null));
  }

  // Indicators supplied (or without a threshold), each with its standard and citation.
  const shown = a.indicators.filter((i) => i.status !== 'missing');
  if (shown.length) {
    body.append(el('h3', { text: t('ind-h', shown.length) }), el('ul', { class: 'b-inds' }, shown.map((i) =>
      el('li', { 'data-indicator': i.indicator, 'data-status': i.status },
        badge(i.status), ' ', el('strong', { text: tx(i.name) }), ' ',
        i.value != null ? el('span', { class: 'b-val' }, withUnit(i.value, i.unit)) : null,
        i.op ? el('span', { class: 'b-vs' }, ` ${OPS[i.op] ?? i.op} `, i.threshold != null ? withUnit(i.threshold, i.unit) : '—') : null,
        i.word ? el('span', { class: 'muted' }, ` 「${defs[i.indicator]?.comparison ? standardWords(defs[i.indicator].comparison, i.unit) : i.word}」`) : null,
        i.points != null ? el('span', { class: 'badge' }, `${fmt(i.points)} ${word('unit', 'points')}`) : null,
        el('div', { class: 'cite-words b-citation', text: i.citation }),
        i.source && i.source !== rbId ? el('div', { class: 'small muted', text: i.source }) : null))));
  }
  if (a.trends.some((tr) => tr.status !== 'missing')) {
    body.append(el('h3', { text: t('trends-h') }), el('ul', { class: 'b-trends' }, a.trends.filter((tr) => tr.status !== 'missing').map((tr) =>
      el('li', { 'data-trend': tr.trend },
        badge(tr.status), ' ', el('strong', { text: tx(tr.name) }), ' ', el('span', { class: 'muted', text: trendWords(tr) }),
        tr.compared?.length ? el('span', {}, ` · ${t('compared')} ${tr.compared.map(fmt).join(' → ')}${tr.measure === 'growth_rate' ? ' (%)' : ''}`) : null,
        el('div', { class: 'cite-words', text: cites[tr.rule] ?? '' })))));
  }
  if (a.missing.length) {
    const names = Object.fromEntries([...a.indicators.map((i) => [i.indicator, tx(i.name)]), ...a.trends.map((tr) => [tr.trend, tx(tr.name)])]);
    body.append(el('details', { class: 'b-missing' }, el('summary', { text: t('not-filled', a.missing.length) }),
      el('ul', {}, a.missing.map((k) => el('li', {}, names[k] ?? '', ' ', el('code', { text: k }))))));
  }
  if (a.vetoes.length) {
    body.append(el('h3', { text: t('vetoes-h') }), el('ul', { class: 'b-vetoes' }, a.vetoes.map((v) =>
      el('li', { 'data-veto': v.veto }, badge(v.status), ' ', tx(v.text), ' ', ruleLine(v.rule)))));
  }
  if (a.outcomes.length) {
    body.append(el('h3', { text: t('outcomes-h') }), el('ul', { class: 'b-outcomes' }, a.outcomes.map((o) =>
      el('li', { 'data-outcome': o.outcome },
        badge(o.status), ' ', el('span', { class: 'badge', text: word('modality', o.modality) }), ' ', tx(o.text),
        o.listing ? el('span', { class: 'muted' }, ` — ${t('listing')}：${tx(o.listing.name)}（${word('tier', o.listing.tier)}）`) : null,
        el('div', { class: 'cite-words', text: o.citation })))));
  }
  if (a.brackets?.length) {
    body.append(el('h3', { text: t('brackets-h') }), el('ul', {}, a.brackets.map((b) =>
      el('li', {}, `${fmt(b.value)} → ${tx(b.listing.name)}（${word('tier', b.listing.tier)}） `, ruleLine(b.rule)))));
  }
  body.append(...answerFooter(a, { t, tx, lang, ruleLine, rules, prefix: 'b-' }));
}

function update() {
  if (!rb || building) return;
  const req = buildRequest();
  const opts = { rulebook: rbId };
  let v = validate('assess', req, opts);
  // The page shows no trail: `explain: false` leaves it out (about half the time).
  const run = { ...opts, explain: false };
  let loose = showValidation(v);
  let answer = null;
  if (v.valid) {
    const r = assess(req, run);
    if (r.ok) answer = r.answer;
    else {
      v = { valid: false, errors: r.errors, missing: [] };
      loose = showValidation(v);
    }
  }
  showAnswer(answer, v, loose);
}

// ---------------------------------------------------------------- entry points

/** Builds section (B) once the WASM module is ready. */
export function setupAssess(viewRoot, language, onRulebookChange) {
  root = viewRoot;
  onRulebook = onRulebookChange;
  lang = language;
  books = rulebooks().filter((b) => rulebook(b.id)?.assessment).map((b) => ({ id: b.id, title: b.title }));
  const form = $('#b-form');
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('input', (e) => {
    if (e.target.name !== 'b-rulebook') update();
  });
  form.addEventListener('change', (e) => {
    if (e.target.name === 'b-rulebook') {
      chooseRulebook(e.target.value);
      onRulebook?.(rbId);
    }
    update();
  });
  $('#b-clear').addEventListener('click', () => {
    for (const i of $$('#b-indicators input, #b-inputs input, #b-trends input', root)) i.value = '';
    update();
  });
  if (!books.length) return;
  form.elements['b-rulebook'].replaceChildren(...books.map((b) => el('option', { value: b.id })));
  form.elements['b-area-level'].replaceChildren(...LEVELS.map((l) => el('option', { value: l })));
  chooseRulebook(books[0].id);
  update();
}

/** The rulebook section (B) uses. */
export const assessRulebook = () => rbId;

/** Switches section (B) to another language. */
export function assessLanguage(language) {
  lang = language;
  relabel();
  update();
}
