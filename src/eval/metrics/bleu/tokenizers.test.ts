// sacreBLEU ships no unit tests for its BLEU tokenizers (test_tokenizer_ter.py covers TER only), so
// these outputs were produced by sacreBLEU 2.5.1 itself (mjpost/sacrebleu f615c72, `tokenizer_*.py`)
// and pinned here; each case names the behaviour it guards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLEU_TOKENIZERS } from './tokenizers.js';

const { '13a': t13a, intl, zh, char, none } = BLEU_TOKENIZERS;

describe('13a', () => {
  it('splits punctuation and symbols but keeps decimals and thousands together', () => {
    assert.equal(t13a('The dog bit the man.'), 'The dog bit the man .');
    assert.equal(t13a("It wasn't 3.14 or 1,000 (maybe)!"), "It wasn't 3.14 or 1,000 ( maybe ) !");
  });

  it('splits a sentence-final period after a number thanks to the padding spaces', () => {
    assert.equal(t13a('We are in 2023.'), 'We are in 2023 .');
  });

  it('splits a dash after a digit, not before one', () => {
    assert.equal(t13a('pages 10-12 and a-b'), 'pages 10 - 12 and a-b');
  });

  it('unescapes the four entities mteval knows and drops <skipped>', () => {
    assert.equal(t13a('&quot;A&amp;B&quot; &lt;x&gt; <skipped>'), '" A & B " < x >');
  });

  it('joins lines: "-\\n" vanishes and "\\n" becomes a space', () => {
    assert.equal(t13a('hyphen-\nated line\nbreak'), 'hyphenated line break');
  });

  it("splits on Python's whitespace: NBSP and U+001C separate, U+FEFF does not", () => {
    assert.equal(t13a('a\u00a0b\u001cc\ufeffd'), 'a b c\ufeffd');
  });
});

describe('intl', () => {
  it('splits Unicode punctuation and symbols except between digits', () => {
    assert.equal(intl('«Hallo», sagte er — 1.000,5 €!'), '« Hallo » , sagte er — 1.000,5 € !');
  });

  it('keeps a sentence-final period on a number, as mteval-v14 does', () => {
    assert.equal(intl('We are in 2023.'), 'We are in 2023.');
  });
});

describe('zh', () => {
  it('separates each Chinese character and 13a-tokenizes the rest', () => {
    assert.equal(zh('我爱北京天安门 ok.'), '我 爱 北 京 天 安 门 ok .');
  });

  it("treats U+2001–U+2A6D as Chinese, as sacreBLEU's range table does in practice", () => {
    assert.equal(zh('a—b…c€d'), 'a — b … c € d');
  });

  it('does not treat CJK Extension B (U+20000) as Chinese', () => {
    assert.equal(zh('x𠀀y'), 'x𠀀y');
  });
});

describe('char and none', () => {
  it('char splits code points, not UTF-16 units', () => {
    assert.equal(char('a😀b'), 'a 😀 b');
  });

  it('none leaves the line alone', () => {
    assert.equal(none(' a  b '), ' a  b ');
  });
});
