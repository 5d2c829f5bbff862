// The delisting-application demo of jindu. Everything the page decides comes
// from the WASM package: the form's conditions and sub-points are read from
// the rulebook (`rulebook(id)`), each field's error from `validate`, the
// outcome, its rules and notes from `review`, the citation words from
// `citations(id)`. This file only builds the request from the form and shows
// what comes back; the words below are the page's own labels.
import { init, rulebooks, rulebook, citations, validate, review, version } from './vendor/jindu/index.mjs';
import { $, $$, el, num, fieldOf as fieldIn, answerFooter } from './ui.js';
import { setupAssess, assessLanguage, assessRulebook } from './assess.js';

const T = {
  zh: {
    title: '禁毒重点整治：降低级别 / 取消整治申请',
    loading: '正在加载规则引擎（WebAssembly）……',
    'load-failed': '规则引擎加载失败：',
    application: '降级 / 取消整治申请',
    'application-hint': '每次输入都会即时校验；校验通过后，按规则集计算评估结果并列出所适用的条文。',
    listing: '挂牌情况',
    'area-name': '乡镇（园区）名称',
    'area-level': '行政层级',
    'issuer-level': '挂牌机关',
    tier: '整治级别',
    'listed-on': '挂牌日期',
    'extensions-used': '已用延期次数',
    status: '挂牌状态',
    review: '评估与申请',
    on: '评估日期',
    'applies-for': '申请事项',
    'goal-met': '是否实现整治目标',
    negligence: '是否因重视不够、措施不力、责任不落实未实现目标',
    conditions: '第十四条 六项条件',
    'all-met': '全部填为“符合”',
    'all-clear': '全部清空',
    officials: '责任人',
    'officials-hint': '第一责任人、直接责任人（第三十一条第二款问责时使用）。',
    'add-official': '＋ 添加责任人',
    'official-name': '姓名',
    role: '职责',
    'in-post-since': '任职日期',
    neglect: '失职致使毒品问题严重',
    remove: '删除',
    result: '评估结果',
    'tab-a': '降级 / 取消整治申请',
    'tab-b': '指标填报（考评）',
    'title-b': '禁毒考评：指标填报',
    footer: '全部计算在本机浏览器中由 WebAssembly 完成；页面加载后无需网络。',
    yes: '是', no: '否', unset: '未填',
    met: '符合', unmet: '不符合',
    none: '无',
    'n-errors': (n) => `表单有 ${n} 处错误，改正后显示评估结果。`,
    'other-errors': '其他错误',
    needed: '尚需填写',
    'still-needed': '尚需提供的事实',
    outcome: '结论',
    modality: '效力',
    'decided-by': '依据',
    deadline: '整治期限最后一日',
    'previous-deadline': '原期限',
    'tier-after': '评估后级别',
    'status-after': '评估后状态',
    'ext-after': '已用延期',
    'conds-h': '第十四条 六项条件（须同时符合）',
    'unmet-subs': '不符合：',
    'missing-subs': '未提供：',
    'options-h': '可以作出的决定',
    'refused-h': '不予支持的申请',
    'measures-h': '问责与措施',
    'notes-h': '说明（条文未规定、解释与未提供的事实）',
    'cited-h': (n) => `适用条文（${n} 条）`,
    receipt: '回执',
    'rulebook-hash': '规则集哈希',
    'request-hash': '请求哈希',
    'library-version': '库版本',
    'in-force': (from) => `自 ${from} 起施行`,
  },
  en: {
    title: 'Key drug-control rectification: application to lower or cancel',
    loading: 'Loading the rules engine (WebAssembly)…',
    'load-failed': 'The rules engine failed to load: ',
    application: 'Application to lower or cancel',
    'application-hint': 'Every entry is checked as you type; once the form is valid, the outcome is computed under the rulebook with the rules it applied.',
    listing: 'The listing',
    'area-name': 'Township (park)',
    'area-level': 'Administrative level',
    'issuer-level': 'Listed by',
    tier: 'Tier',
    'listed-on': 'Listed on',
    'extensions-used': 'Extensions used',
    status: 'Status',
    review: 'Review and application',
    on: 'Review date',
    'applies-for': 'Applies for',
    'goal-met': 'Rectification goal met',
    negligence: 'Goal missed through insufficient attention, weak measures or unfulfilled responsibility',
    conditions: 'The six conditions of art. 14',
    'all-met': 'mark all as met',
    'all-clear': 'clear all',
    officials: 'Officials',
    'officials-hint': 'First and direct responsible persons (for accountability under art. 31 para. 2).',
    'add-official': '+ add an official',
    'official-name': 'Name',
    role: 'Role',
    'in-post-since': 'In post since',
    neglect: 'Neglect led to the severity',
    remove: 'remove',
    result: 'Outcome',
    'tab-a': 'Application to lower or cancel',
    'tab-b': 'Indicator return (assessment)',
    'title-b': 'Drug-control assessment: indicator return',
    footer: 'Everything is computed in this browser by WebAssembly; no network is needed once the page has loaded.',
    yes: 'yes', no: 'no', unset: 'not given',
    met: 'met', unmet: 'not met',
    none: 'none',
    'n-errors': (n) => `The form has ${n} error${n === 1 ? '' : 's'}; the outcome shows once they are corrected.`,
    'other-errors': 'Other errors',
    needed: 'still needed',
    'still-needed': 'Facts still needed',
    outcome: 'Outcome',
    modality: 'Modality',
    'decided-by': 'Decided by',
    deadline: 'Last day of the term',
    'previous-deadline': 'previously',
    'tier-after': 'Tier after the review',
    'status-after': 'Status after the review',
    'ext-after': 'Extensions used',
    'conds-h': 'The conditions of art. 14 (all at once)',
    'unmet-subs': 'not met: ',
    'missing-subs': 'not given: ',
    'options-h': 'Decisions open to the committee',
    'refused-h': 'Applications refused',
    'measures-h': 'Accountability and measures',
    'notes-h': 'Notes (silences of the text, readings, facts not given)',
    'cited-h': (n) => `Rules applied (${n})`,
    receipt: 'Receipt',
    'rulebook-hash': 'rulebook hash',
    'request-hash': 'request hash',
    'library-version': 'library version',
    'in-force': (from) => `in force from ${from}`,
  },
};

// The page's words for the values of the request and answer.
const WORDS = {
  level: { township: ['乡镇（园区）', 'township (park)'], village: ['村（社区）', 'village (community)'], county: ['县', 'county'] },
  status: { active: ['整治中', 'active'], extended: ['已延期', 'extended'], continued: ['继续挂牌整治', 'continued'], cancelled: ['已取消整治', 'cancelled'] },
  application: { lower: ['降低级别', 'lower the tier'], cancel: ['取消整治', 'cancel the listing'] },
  applies: { lower: ['降低级别', 'lower tier'], cancel: ['取消整治', 'cancel'] },
  role: { first_responsible: ['第一责任人', 'first responsible'], direct_responsible: ['直接责任人', 'direct responsible'] },
  outcome: {
    continue: ['继续整治', 'the listing continues'],
    extend: ['延长整治期限', 'the term is extended'],
    lower: ['降低级别', 'the tier is lowered'],
    cancel: ['取消整治', 'the listing is cancelled'],
    continue_listing: ['继续挂牌整治', 'the listing continues after its term'],
    not_provided: ['办法未作规定', 'the text does not say'],
    insufficient_facts: ['事实不足，无法判断', 'facts missing: no answer yet'],
    escalate: ['移交上级挂牌', 'escalated to a higher body'],
  },
  modality: { must: ['应当', 'must'], in_principle: ['原则上', 'in principle'], may: ['可以', 'may'] },
  condStatus: { met: ['符合', 'met'], unmet: ['不符合', 'not met'], not_supplied: ['未提供', 'not given'] },
  measureStatus: {
    applies: ['适用', 'applies'],
    applies_in_principle: ['原则上适用', 'applies in principle'],
    available: ['可以适用', 'available'],
    requires_judgement: ['须另行判断', 'needs a judgement'],
  },
  target: {
    area: ['该乡镇', 'the area'],
    responsible_persons: ['责任人', 'the responsible persons'],
    named_officials: ['所列责任人', 'the named officials'],
    county_committee: ['县禁毒委员会', 'the county committee'],
  },
};

let lang = 'zh';
try {
  lang = localStorage.getItem('jindu-demo-lang') === 'en' ? 'en' : 'zh';
} catch {
  /* storage unavailable: keep Chinese */
}
const t = (key, ...args) => {
  const v = T[lang][key] ?? T.zh[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
};
const word = (group, value) => {
  const w = WORDS[group]?.[value];
  return w ? w[lang === 'zh' ? 0 : 1] : value;
};
const tx = (text) => (text ? text[lang] ?? text.zh : '');


let rbId;
let rb; // the rulebook file
let cites; // rule id -> citation in words
let rules; // rule id -> rule

// ---------------------------------------------------------------- the form

// A tri-state choice (yes / no / not given) as radio buttons.
function tri(name, labels = ['yes', 'no']) {
  const box = el('span', { class: 'seg tri', role: 'radiogroup' });
  for (const [value, key] of [['true', labels[0]], ['false', labels[1]], ['', 'unset']]) {
    box.append(
      el('label', {}, el('input', { type: 'radio', name, value, checked: value === '' }), el('span', { 'data-i18n': key, text: t(key) })),
    );
  }
  return box;
}
const triValue = (name) => {
  const v = $(`input[name="${CSS.escape(name)}"]:checked`)?.value;
  return v === 'true' ? true : v === 'false' ? false : undefined;
};

function options(select, values, label) {
  const keep = select.value;
  select.replaceChildren(...values.map((v) => el('option', { value: v, text: label(v) })));
  if (values.includes(keep)) select.value = keep;
}

function buildStatic() {
  const f = $('#form');
  options(f.elements['area-level'], [...new Set(rb.scope.map((s) => s.level))], (v) => word('level', v));
  options(f.elements['issuer-level'], [...new Set(rb.scope.map((s) => s.issuer_level))], (v) => word('level', v));
  options(f.elements.tier, rb.tiers.map((x) => x.tier), (v) => tx(rb.tiers.find((x) => x.tier === v)?.name) || v);
  if (!buildStatic.done && rb.tiers.some((x) => x.tier === 'rectify')) f.elements.tier.value = 'rectify';
  options(f.elements.status, ['active', 'extended', 'continued'], (v) => word('status', v));

  const app = $('#application-choice');
  if (!app.firstChild) {
    for (const v of ['lower', 'cancel']) {
      app.append(el('label', {}, el('input', { type: 'radio', name: 'application', value: v, checked: v === 'cancel' }), el('span', { 'data-word': `applies:${v}` })));
    }
  }
  for (const box of $$('[data-fact]')) if (!box.firstChild) box.append(...tri(`fact-${box.dataset.fact}`).childNodes);
  const gm = $('input[name="fact-goal_met"][value="true"]');
  if (gm && !buildStatic.done) gm.checked = true;

  // The six conditions and their sub-points, from the rulebook.
  const conds = $('#conditions');
  if (!conds.firstChild) {
    rb.delisting.conditions.forEach((c, i) => {
      conds.append(
        el(
          'div',
          { class: 'cond', 'data-path': `facts.conditions.${c.key}`, 'data-condition': c.key },
          el('h3', {}, el('span', { class: 'num', text: `（${i + 1}）` }), el('span', { class: 'cond-title', 'data-rule-title': c.rule }),
            el('span', { class: 'cite', 'data-cite': c.rule }), el('span', { class: 'cond-status' })),
          el('ul', { class: 'subs' },
            c.sub_points.map((s) =>
              el('li', { class: 'field sub', 'data-path': `facts.conditions.${c.key}.${s.key}` },
                el('span', { class: 'sub-text', 'data-sub': `${c.key}.${s.key}` }),
                tri(`sub-${c.key}-${s.key}`, ['met', 'unmet'])),
            )),
        ),
      );
    });
  }
  buildStatic.done = true;
}

function officialRow() {
  const row = el('div', { class: 'official' });
  row.append(
    el('label', { class: 'field', 'data-sub-path': 'name' }, el('span', { 'data-i18n': 'official-name', text: t('official-name') }), el('input', { type: 'text', 'data-o': 'name' })),
    el('label', { class: 'field', 'data-sub-path': 'role' }, el('span', { 'data-i18n': 'role', text: t('role') }),
      el('select', { 'data-o': 'role' }, ['first_responsible', 'direct_responsible'].map((r) => el('option', { value: r, 'data-word': `role:${r}` })))),
    el('label', { class: 'field', 'data-sub-path': 'in_post_since' }, el('span', { 'data-i18n': 'in-post-since', text: t('in-post-since') }),
      el('input', { type: 'text', inputmode: 'numeric', placeholder: 'YYYY-MM-DD', 'data-o': 'in_post_since' })),
    el('div', { class: 'field', 'data-sub-path': 'neglect_led_to_severity' }, el('span', { 'data-i18n': 'neglect', text: t('neglect') }), tri(`neglect-${Math.random().toString(36).slice(2)}`)),
    el('button', { type: 'button', class: 'small remove', 'data-i18n': 'remove', text: t('remove'), onclick: () => { row.remove(); renumber(); update(); } }),
  );
  return row;
}
function renumber() {
  $$('#officials .official').forEach((row, i) => {
    row.dataset.path = `officials[${i}]`;
    for (const f of $$('[data-sub-path]', row)) f.dataset.path = `officials[${i}].${f.dataset.subPath}`;
  });
}

// The request, exactly as the form holds it: empty fields are left out, so
// that the core says what is missing; text in a number field goes as text, so
// that the core says it is not a number.
function buildRequest() {
  const f = $('#form').elements;
  const val = (name) => f[name].value.trim();
  const put = (o, k, v) => {
    if (v !== undefined && v !== '') o[k] = v;
    return o;
  };
  const listing = {
    area: put(put({}, 'name', val('area-name')), 'level', val('area-level')),
    issuer: put({}, 'level', val('issuer-level')),
  };
  put(listing, 'tier', val('tier'));
  put(listing, 'listed_on', val('listed-on'));
  put(listing, 'extensions_used', num(val('extensions-used')));
  put(listing, 'status', val('status'));
  const req = { listing };
  put(req, 'on', val('on'));
  put(req, 'application', $('input[name="application"]:checked')?.value);
  const facts = {};
  put(facts, 'goal_met', triValue('fact-goal_met'));
  put(facts, 'negligence', triValue('fact-negligence'));
  const conditions = {};
  for (const c of rb.delisting.conditions) {
    const subs = {};
    for (const s of c.sub_points) put(subs, s.key, triValue(`sub-${c.key}-${s.key}`));
    if (Object.keys(subs).length) conditions[c.key] = subs;
  }
  if (Object.keys(conditions).length) facts.conditions = conditions;
  req.facts = facts;
  const officials = $$('#officials .official').map((row) => {
    const o = {};
    put(o, 'name', $('[data-o="name"]', row).value.trim());
    put(o, 'role', $('[data-o="role"]', row).value);
    put(o, 'in_post_since', $('[data-o="in_post_since"]', row).value.trim());
    put(o, 'neglect_led_to_severity', triValue($('[data-sub-path="neglect_led_to_severity"] input', row).name));
    return o;
  });
  if (officials.length) req.officials = officials;
  return req;
}

// ---------------------------------------------------------------- showing answers

let last = { validation: null, answer: null };

// The element of a path in section (A), or of its nearest enclosing path.
const fieldOf = (path) => fieldIn(path, $('#view-a'));

function showValidation(v) {
  const viewA = $('#view-a');
  for (const n of $$('.err, .needed-tag', viewA)) n.remove();
  for (const n of $$('.has-error, .is-needed', viewA)) n.classList.remove('has-error', 'is-needed');
  const loose = [];
  for (const e of v.errors) {
    const f = fieldOf(e.path);
    const msg = el('span', { class: 'err', 'data-code': e.code, 'data-error-path': e.path },
      lang === 'zh' ? e.msg_zh : e.msg_en, ' ', el('code', { text: e.code }));
    if (f) {
      f.classList.add('has-error');
      f.append(msg);
    } else loose.push(msg);
  }
  for (const p of v.missing) {
    const f = fieldOf(p);
    if (f && !f.classList.contains('has-error')) {
      f.classList.add('is-needed');
      f.append(el('span', { class: 'needed-tag', text: t('needed') }));
    }
  }
  return loose;
}

function ruleLine(id) {
  if (!id) return null;
  return el('span', { class: 'rule-ref', 'data-rule': id }, el('code', { text: id }), ' ', el('span', { class: 'cite-words', text: cites[id] ?? '' }));
}

function showAnswer(a, loose) {
  const body = $('#result-body');
  body.replaceChildren();
  if (loose.length) body.append(el('div', { class: 'box error' }, el('strong', { text: t('other-errors') }), el('ul', {}, loose.map((m) => el('li', {}, m)))));
  const v = last.validation;
  if (!v.valid) {
    body.append(el('p', { class: 'box error', id: 'form-invalid', text: t('n-errors', v.errors.length) }));
    for (const c of $$('.cond-status')) c.replaceChildren();
    return;
  }
  const subText = (ck, sk) => tx(rb.delisting.conditions.find((c) => c.key === ck)?.sub_points.find((s) => s.key === sk)?.text);

  body.append(
    el('div', { class: `outcome o-${a.outcome}`, 'data-outcome': a.outcome },
      el('div', { class: 'label', text: t('outcome') }),
      el('div', { class: 'big', text: word('outcome', a.outcome) }),
      el('div', { class: 'meta' },
        a.modality ? el('span', { class: 'badge', text: `${t('modality')}：${word('modality', a.modality)}` }) : null,
        el('span', {}, `${t('decided-by')}：`, ruleLine(a.rule))),
      rules[a.rule] ? el('blockquote', { text: tx(rules[a.rule].text) }) : null),
    el('dl', { class: 'facts' },
      el('dt', { text: t('deadline') }),
      el('dd', {}, a.deadline ? a.deadline.effective : '—', a.previous_deadline && a.deadline && a.previous_deadline !== a.deadline.effective
        ? el('span', { class: 'muted', text: ` (${t('previous-deadline')} ${a.previous_deadline})` }) : null),
      el('dt', { text: t('tier-after') }), el('dd', { text: tx(a.tier_name) || a.tier }),
      el('dt', { text: t('status-after') }), el('dd', { text: word('status', a.status) }),
      el('dt', { text: t('ext-after') }), el('dd', { text: String(a.extensions_used) })),
  );

  // Conditions: in the answer, and beside each condition of the form.
  const byKey = Object.fromEntries(a.conditions.map((c) => [c.condition, c]));
  for (const box of $$('.cond')) {
    const c = byKey[box.dataset.condition];
    $('.cond-status', box).replaceChildren(c ? el('span', { class: `badge s-${c.status}`, text: word('condStatus', c.status) }) : '');
  }
  body.append(
    el('h3', { text: t('conds-h') }),
    el('ul', { class: 'conds' }, a.conditions.map((c) =>
      el('li', { 'data-condition': c.condition },
        el('span', { class: `badge s-${c.status}`, text: word('condStatus', c.status) }), ' ',
        el('span', { text: heading(c.rule) }), ' ', el('code', { text: c.rule }),
        c.unmet_sub_points?.length ? el('div', { class: 'small' }, t('unmet-subs'), c.unmet_sub_points.map((s) => subText(c.condition, s)).join('；')) : null,
        c.missing_sub_points?.length ? el('div', { class: 'small muted' }, t('missing-subs'), `${c.missing_sub_points.length}`) : null))),
  );
  if (a.options.length) {
    body.append(el('h3', { text: t('options-h') }), el('ul', {}, a.options.map((o) =>
      el('li', {}, `${word('application', o.action)}（${word('modality', o.modality)}） `, ruleLine(o.rule)))));
  }
  if (a.refused.length) {
    body.append(el('h3', { text: t('refused-h') }), el('ul', { class: 'refused' }, a.refused.map((r) =>
      el('li', {}, el('strong', { text: word('application', r.action) }), '：', lang === 'zh' ? r.zh : r.en, ' ', ruleLine(r.rule)))));
  }
  if (a.measures.length) {
    body.append(el('h3', { text: t('measures-h') }), el('ul', {}, a.measures.map((m) =>
      el('li', {}, el('span', { class: 'badge', text: word('measureStatus', m.status) }), ' ', tx(m.text),
        ` — ${word('target', m.target)}${m.officials?.length ? `：${m.officials.join('、')}` : ''} `, ruleLine(m.rule)))));
  }
  const needed = [...new Set([...(a.missing_facts ?? []), ...v.missing])];
  if (needed.length) body.append(el('h3', { text: t('still-needed') }), el('ul', { class: 'needed' }, needed.map((p) => el('li', {}, el('code', { text: p })))));
  body.append(...answerFooter(a, { t, tx, lang, ruleLine, rules, prefix: '' }));
}

// A condition's heading: the first sentence of its rule's text.
const heading = (ruleId) => (tx(rules[ruleId]?.text).split(/(?<=[。])|(?<=\.)\s/)[0] ?? '').replace(/[。.]$/, '');

function update() {
  const req = buildRequest();
  const v = validate('review', req, { rulebook: rbId });
  last.validation = v;
  const loose = showValidation(v);
  let answer = null;
  if (v.valid) {
    const r = review(req, { rulebook: rbId });
    if (r.ok) answer = r.answer;
    else {
      // The evaluation found errors that validation did not: show them the same way.
      last.validation = { valid: false, errors: r.errors, missing: [] };
      loose.push(...showValidation(last.validation));
    }
  }
  last.answer = answer;
  showAnswer(answer, loose);
}

// ---------------------------------------------------------------- language

// ---------------------------------------------------------------- tabs: (A) and (B)

let tab = 'a';
const tabOfHash = () => (location.hash === '#indicators' ? 'b' : 'a');
function showTab(which) {
  tab = which;
  $('#view-a').hidden = which !== 'a';
  $('#view-b').hidden = which !== 'b';
  for (const a of $$('[data-tab]')) a.setAttribute('aria-selected', String(a.dataset.tab === which));
  const title = t(which === 'a' ? 'title' : 'title-b');
  $('#title').textContent = title;
  document.title = `${title} — jindu`;
  $('.top .sub').hidden = which !== 'a';
  showVersion();
}
const showVersion = () => {
  if (!rbId) return; // not loaded yet
  const id = tab === 'b' ? assessRulebook() : rbId;
  $('#version').textContent = `jindu ${version()}${id ? ` · ${id}` : ''}`;
};

function applyLanguage() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const n of $$('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  showTab(tab);
  assessLanguage(lang);
  for (const n of $$('[data-word]')) {
    const [g, v] = n.dataset.word.split(':');
    n.textContent = word(g, v);
  }
  for (const b of $$('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  if (!rb) return;
  $('#rulebook-title').textContent = tx(rb.document.title);
  $('#rulebook-meta').textContent = `${tx(rb.issuer.name)} · ${t('in-force', rb.in_force.from)}`;
  $('#conditions-rule').textContent = cites[rb.delisting.rule] ?? '';
  $('#conditions-lead').textContent = tx(rules[rb.delisting.rule]?.text);
  for (const n of $$('[data-rule-title]')) n.textContent = heading(n.dataset.ruleTitle);
  for (const n of $$('[data-cite]')) n.textContent = cites[n.dataset.cite] ?? '';
  for (const n of $$('[data-sub]')) {
    const [ck, sk] = n.dataset.sub.split('.');
    n.textContent = tx(rb.delisting.conditions.find((c) => c.key === ck)?.sub_points.find((s) => s.key === sk)?.text);
  }
  buildStatic();
  update();
}

// ---------------------------------------------------------------- start

async function start() {
  for (const b of $$('[data-lang]')) {
    b.addEventListener('click', () => {
      lang = b.dataset.lang;
      try {
        localStorage.setItem('jindu-demo-lang', lang);
      } catch {
        /* ignore */
      }
      applyLanguage();
    });
  }
  applyLanguage();
  try {
    await init();
  } catch (e) {
    $('#loading').hidden = true;
    const err = $('#load-error');
    err.hidden = false;
    err.textContent = t('load-failed') + e;
    return;
  }
  rbId = rulebooks().find((r) => r.id === 'hengyang-county-2018-rectification')?.id ?? rulebooks()[0].id;
  rb = rulebook(rbId);
  cites = citations(rbId);
  rules = Object.fromEntries(rb.rules.map((r) => [r.id, r]));

  const form = $('#form');
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (e) => e.preventDefault());
  $('#add-official').addEventListener('click', () => {
    $('#officials').append(officialRow());
    renumber();
    applyLanguage();
  });
  $('#all-met').addEventListener('click', () => {
    for (const i of $$('#conditions input[value="true"]')) i.checked = true;
    update();
  });
  $('#all-clear').addEventListener('click', () => {
    for (const i of $$('#conditions input[value=""]')) i.checked = true;
    update();
  });
  buildStatic();
  setupAssess($('#view-b'), lang, showVersion);
  for (const a of $$('[data-tab]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      history.replaceState(null, '', a.dataset.tab === 'b' ? '#indicators' : location.pathname + location.search);
      showTab(a.dataset.tab);
    });
  }
  window.addEventListener('hashchange', () => showTab(tabOfHash()));
  tab = tabOfHash();
  $('#loading').hidden = true;
  $('#app').hidden = false;
  $('#tabs').hidden = false;
  applyLanguage();
  document.body.dataset.ready = 'true';
}

start();
