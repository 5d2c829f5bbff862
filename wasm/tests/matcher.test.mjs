// The matcher's semantics, as spec/README.md states them (the same checks as core/tests/spec.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matches } from './matcher.mjs';

test('objects match as subsets; numbers by value', () => {
  assert.ok(matches({ a: 1 }, { a: 1.0, b: 2 }));
  assert.ok(!matches({ a: 1 }, { a: 2 }));
  assert.ok(!matches({ a: 1 }, [1]));
  assert.ok(matches({ a: { b: 'x' } }, { a: { b: 'x', c: 1 } }));
});

test('null matches absent or null', () => {
  assert.ok(matches({ a: null }, { b: 2 }));
  assert.ok(matches({ a: null }, { a: null }));
  assert.ok(!matches({ a: null }, { a: 0 }));
  assert.ok(!matches({ a: null }, { a: false }));
});

test('arrays: same length, in order', () => {
  assert.ok(!matches([1], [1, 2]));
  assert.ok(matches([1, { x: 1 }], [1, { x: 1, y: 2 }]));
  assert.ok(!matches([1, 2], [2, 1]));
  assert.ok(!matches([], {}));
});

test('$includes, $excludes, $len', () => {
  assert.ok(matches({ $includes: [2] }, [1, 2]));
  assert.ok(matches({ $includes: [{ code: 'x' }, 1] }, [1, { code: 'x', rule: 'r' }]));
  assert.ok(!matches({ $includes: [3] }, [1, 2]));
  assert.ok(!matches({ $excludes: [{ x: 1 }] }, [{ x: 1, y: 2 }]));
  assert.ok(matches({ $excludes: [{ x: 2 }] }, [{ x: 1, y: 2 }]));
  assert.ok(matches({ $len: 2 }, [1, 2]));
  assert.ok(!matches({ $len: 2 }, [1]));
  assert.ok(matches({ $len: 0, $excludes: [1] }, []));
  assert.ok(!matches({ $includes: [] }, 'not an array'));
});

test('scalars match equal values only', () => {
  assert.ok(matches('a', 'a'));
  assert.ok(!matches('a', 'b'));
  assert.ok(!matches(true, 1));
  assert.ok(!matches(1, '1'));
  assert.ok(!matches('x', undefined));
});
