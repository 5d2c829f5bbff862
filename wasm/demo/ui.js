// Small DOM helpers shared by the two sections of the demo (no rule logic).

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) e.append(c);
  return e;
}

// A text field's value as the request should carry it: empty is left out (so
// that the core says what is missing), a number goes as a number, anything
// else goes as written (so that the core says it is not a number).
export const num = (s) => (s === '' ? undefined : /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);

// The element of a path (by `data-path`, or `data-alias` for a field the core
// may also name another way), or of its nearest enclosing path, inside `root`.
export function fieldOf(path, root = document) {
  for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '') || '') {
    const f = root.querySelector(`[data-path="${CSS.escape(p)}"], [data-alias="${CSS.escape(p)}"]`);
    if (f) return f;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
  }
  return null;
}

/** The notes, the cited rules (with their text) and the receipt of an answer:
 * the same footer in both forms. `prefix` keeps each form's class names. */
export function answerFooter(a, { t, tx, lang, ruleLine, rules, prefix = '' }) {
  const out = [];
  if (a.notes.length) {
    out.push(el('h3', { text: t('notes-h') }), el('ul', { class: `${prefix}notes` }, a.notes.map((n) =>
      el('li', { 'data-note': n.code }, el('code', { text: n.code }), ' ', lang === 'zh' ? n.zh : n.en, ' ', ruleLine(n.rule)))));
  }
  out.push(
    el('h3', { text: t('cited-h', a.cited.length) }),
    el('ol', { class: `${prefix}cited` }, a.cited.map((id) =>
      el('li', { 'data-rule': id }, ruleLine(id), rules[id] ? el('div', { class: 'rule-text', text: tx(rules[id].text) }) : null))),
    el('details', { class: 'receipt' }, el('summary', { text: t('receipt') }),
      el('dl', {},
        el('dt', { text: t('rulebook-hash') }), el('dd', {}, el('code', { text: a.receipt.rulebook_hash })),
        el('dt', { text: t('request-hash') }), el('dd', {}, el('code', { text: a.receipt.request_hash })),
        el('dt', { text: t('library-version') }), el('dd', {}, el('code', { text: a.receipt.library_version })))),
  );
  return out;
}
