// The JavaScript face of the jindu WASM module: objects in, objects out.
// Marshalling only: every answer, error and message comes from the Rust core
// (jindu::call_json); this file turns objects into JSON text and back.
//
// `raw` is the wasm-bindgen module (web or nodejs glue); `need` returns it or
// throws when the module is not initialised yet.

function stringify(value) {
  try {
    const text = JSON.stringify(value);
    return { text: text === undefined ? 'null' : text };
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
}

function notJson(message) {
  return {
    ok: false,
    errors: [
      {
        code: 'invalid_json',
        loc: [],
        path: '',
        msg_zh: `请求无法转换为 JSON：${message}`,
        msg_en: `the request cannot be written as JSON: ${message}`,
      },
    ],
  };
}

function envelope(operation, request, options) {
  const call = { operation, request };
  if (options) {
    for (const k of ['rulebook', 'jurisdiction', 'as_of', 'explain', 'receipt']) {
      if (options[k] !== undefined && options[k] !== null) call[k] = options[k];
    }
  }
  return call;
}

export function createApi(need) {
  /** One call of the JSON layer, as text: the core's entry point, unchanged. */
  function callJson(text) {
    return need().callJson(String(text));
  }

  /** One call of the JSON layer: `{operation, request, rulebook?, …}` in, response out. */
  function call(value) {
    const s = stringify(value);
    if (s.error !== undefined) return notJson(s.error);
    return JSON.parse(need().callJson(s.text));
  }

  const list = (request, options) => call(envelope('list', request, options));
  const review = (request, options) => call(envelope('review', request, options));
  const consequences = (request, options) => call(envelope('consequences', request, options));
  const timeline = (request, options) => call(envelope('timeline', request, options));
  const assess = (request, options) => call(envelope('assess', request, options));
  const rank = (request, options) => call(envelope('rank', request, options));
  const duties = (request, options) => call(envelope('duties', request, options));

  /** Checks a request for `operation` without answering it: every field error, and the fields still needed. */
  function validate(operation, request, options) {
    const c = envelope('validate', request, options);
    c.target = operation;
    const r = call(c);
    return r.ok ? r.answer : { valid: false, errors: r.errors, missing: [] };
  }

  const rulebooks = () => JSON.parse(need().rulebooksJson());
  function rulebook(id) {
    const t = need().rulebookText(String(id));
    return t === undefined ? undefined : JSON.parse(t);
  }
  function citations(id) {
    const t = need().citationsJson(String(id));
    return t === undefined ? undefined : JSON.parse(t);
  }
  const errorCatalogue = () => JSON.parse(need().errorCatalogueJson());
  const version = () => need().version();

  return {
    call, callJson, list, review, consequences, timeline, assess, rank, duties, validate, rulebooks, rulebook, citations, errorCatalogue, version,
  };
}
