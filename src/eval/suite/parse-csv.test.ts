// RFC 4180's own examples (section 2) and the cases a spreadsheet export produces.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCsv } from './parse-csv.js';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  test('RFC 4180 §2: CRLF records, optional final line break, quoted fields', () => {
    assert.deepEqual(fields('aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n'), [
      ['aaa', 'bbb', 'ccc'],
      ['zzz', 'yyy', 'xxx'],
    ]);
    assert.deepEqual(fields('aaa,bbb,ccc\r\nzzz,yyy,xxx'), [
      ['aaa', 'bbb', 'ccc'],
      ['zzz', 'yyy', 'xxx'],
    ]);
    assert.deepEqual(fields('"aaa","b\r\nbb","ccc"\r\nzzz,yyy,xxx'), [
      ['aaa', 'b\r\nbb', 'ccc'],
      ['zzz', 'yyy', 'xxx'],
    ]);
    assert.deepEqual(fields('"aaa","b""bb","ccc"'), [['aaa', 'b"bb', 'ccc']]);
  });

  test('commas inside quotes, empty fields, spaces kept, BOM dropped, blank lines skipped', () => {
    assert.deepEqual(fields('\uFEFFq,a\n"Hello, world", x \n\n,\n'), [
      ['q', 'a'],
      ['Hello, world', ' x '],
      ['', ''],
    ]);
  });

  test('records carry the line they start on', () => {
    assert.deepEqual(
      parseCsv('h\n"two\nlines"\nnext\n').map((r) => r.line),
      [1, 2, 4],
    );
  });

  test('a quote inside an unquoted field is literal, as in Python csv', () => {
    assert.deepEqual(fields('say 5" long,b'), [['say 5" long', 'b']]);
  });

  test('an unclosed quote or text after a closing quote is an error with its line', () => {
    assert.throws(() => parseCsv('a\n"open,b\n'), /line 2: a quoted field is never closed/);
    assert.throws(() => parseCsv('"a"b,c'), /line 1: unexpected text after a closing quote/);
  });
});
