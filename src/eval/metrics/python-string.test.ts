import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pyFormatFixed, pyLen, pyRstrip, pySplit, pyStrip } from './python-string.js';

describe('Python str behaviour', () => {
  it("split() uses Python's whitespace set", () => {
    assert.deepEqual(pySplit('  a\u00a0b\u001cc\u0085d\u3000e\n'), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(pySplit('a\ufeffb'), ['a\ufeffb']);
    assert.deepEqual(pySplit(''), []);
    assert.deepEqual(pySplit(' \t '), []);
  });

  it('strip() and rstrip()', () => {
    assert.equal(pyStrip('\u2003 x y\r\n'), 'x y');
    assert.equal(pyRstrip(' x\r'), ' x');
  });

  it('len() counts code points', () => {
    assert.equal(pyLen('a😀'), 2);
  });

  it('format rounds exact ties to even, like f"{x:.nf}"', () => {
    assert.equal(pyFormatFixed(0.125, 2), '0.12');
    assert.equal(pyFormatFixed(0.375, 2), '0.38');
    assert.equal(pyFormatFixed(12.25, 1), '12.2');
    assert.equal(pyFormatFixed(2.5, 0), '2');
    assert.equal(pyFormatFixed(3.5, 0), '4');
    // 0.15 is not a tie in binary (it is 0.1499999…), so both languages print 0.1.
    assert.equal(pyFormatFixed(0.15, 1), '0.1');
    assert.equal(pyFormatFixed(59.230330720232516, 2), '59.23');
  });
});
