// The matcher of spec/README.md ("Matching `expected`"), as the Rust runner
// (core/tests/spec.rs) implements it:
// - an object matches when every key it names matches the same key of the actual object;
// - null matches a key that is absent or null;
// - an array matches an array of the same length whose elements match in order;
// - {"$includes": [a, b]}: an array containing elements matching each of a, b;
// - {"$excludes": [a]}: an array none of whose elements matches a;
// - {"$len": n}: an array of exactly n elements;
// - any other value matches an equal value (numbers compare by value).
// Returns the list of mismatches (empty when it matches).

const show = (v) => (v === undefined ? 'nothing' : JSON.stringify(v));
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

export function mismatches(expected, actual, path = '$', why = []) {
  if (expected === null) {
    if (!(actual === undefined || actual === null)) why.push(`${path}: expected absent or null, got ${show(actual)}`);
    return why;
  }
  if (isObj(expected) && ('$includes' in expected || '$excludes' in expected || '$len' in expected)) {
    if (!Array.isArray(actual)) {
      why.push(`${path}: expected an array, got ${show(actual)}`);
      return why;
    }
    if (Array.isArray(expected.$includes)) {
      for (const item of expected.$includes) {
        if (!actual.some((x) => mismatches(item, x, path).length === 0)) why.push(`${path}: no element matches ${show(item)}`);
      }
    }
    if (Array.isArray(expected.$excludes)) {
      for (const item of expected.$excludes) {
        if (actual.some((x) => mismatches(item, x, path).length === 0)) why.push(`${path}: an element matches excluded ${show(item)}`);
      }
    }
    if (typeof expected.$len === 'number' && Number.isInteger(expected.$len) && expected.$len >= 0 && actual.length !== expected.$len) {
      why.push(`${path}: expected ${expected.$len} elements, got ${actual.length}`);
    }
    return why;
  }
  if (isObj(expected)) {
    if (!isObj(actual)) {
      why.push(`${path}: expected an object, got ${show(actual)}`);
      return why;
    }
    for (const [k, v] of Object.entries(expected)) {
      mismatches(v, Object.prototype.hasOwnProperty.call(actual, k) ? actual[k] : undefined, `${path}.${k}`, why);
    }
    return why;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      why.push(`${path}: expected an array, got ${show(actual)}`);
      return why;
    }
    if (actual.length !== expected.length) {
      why.push(`${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`);
      return why;
    }
    expected.forEach((x, i) => mismatches(x, actual[i], `${path}[${i}]`, why));
    return why;
  }
  // Scalars: JSON numbers compare by value (1 == 1.0 after parsing anyway).
  if (actual !== expected) why.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  return why;
}

export const matches = (expected, actual) => mismatches(expected, actual).length === 0;
