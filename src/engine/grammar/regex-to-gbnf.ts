/**
 * Translates a JSON Schema `pattern` (an ECMAScript regex) into a GBNF expression for the *content*
 * of a JSON string. The grammar constrains JSON text, so every character the regex allows is emitted
 * in its JSON-escaped form (`"` as `\"`, a newline as `\n`).
 *
 * Supported: literals and escapes, `.`, classes (`[a-z]`, `[^…]`, `\d \w \s` and negations), groups
 * (capturing, `(?:…)`, named), `|`, and the quantifiers `* + ? {n} {n,} {n,m}` (lazy ones act
 * greedy: a grammar has no preference). A side without `^`/`$` may hold any text, as `pattern`
 * searches rather than matches. Backreferences, lookaround and word boundaries have no grammar
 * equivalent: they throw `RegexFeatureError` naming the feature.
 */

export class RegexFeatureError extends Error {
  override name = 'RegexFeatureError';
}

type Node =
  | { kind: 'alt'; options: Node[][] }
  | { kind: 'set'; ranges: [number, number][]; negated: boolean }
  | { kind: 'repeat'; node: Node; min: number; max: number | undefined };

/**
 * @param anyChar GBNF for one arbitrary JSON string character, used for unanchored ends.
 * @example
 * regexToGbnf('^[A-Z]{2}-\\d{3}$', 'char') // ([A-Z]){2} "-" ([0-9]){3}
 */
export function regexToGbnf(pattern: string, anyChar: string): string {
  const chars = Array.from(pattern);
  let start = 0;
  let end = chars.length;
  const anchoredStart = chars[0] === '^';
  if (anchoredStart) start = 1;
  let backslashes = 0;
  while (chars[end - 2 - backslashes] === '\\') backslashes++;
  // "$" is an anchor unless escaped by an odd run of backslashes ("\\$" ends with a literal "\").
  const anchoredEnd = end > start && chars[end - 1] === '$' && backslashes % 2 === 0;
  if (anchoredEnd) end--;
  const parser = new RegexParser(chars.slice(start, end));
  const body = emit(parser.parse());
  return [anchoredStart ? '' : `${anyChar}*`, body, anchoredEnd ? '' : `${anyChar}*`]
    .filter(Boolean)
    .join(' ');
}

class RegexParser {
  private at = 0;
  constructor(private readonly chars: string[]) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.chars.length) throw new RegexFeatureError(`unexpected "${this.chars[this.at]}"`);
    return node;
  }

  private peek(): string | undefined {
    return this.chars[this.at];
  }

  private alternation(): Node {
    const options: Node[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return { kind: 'alt', options };
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      items.push(this.quantified(this.atom()));
    }
    return items;
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number | undefined;
    if (c === '*') [min, max] = [0, undefined];
    else if (c === '+') [min, max] = [1, undefined];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.at).join(''));
      if (!match) return node; // a literal "{", as in JavaScript's lenient mode
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] ? Number(match[3]) : undefined;
      this.at += Array.from(match[0]).length - 1;
    } else return node;
    this.at++;
    if (this.peek() === '?') this.at++; // lazy: same language
    return { kind: 'repeat', node, min, max };
  }

  private atom(): Node {
    const c = this.chars[this.at++]!;
    if (c === '(') return this.group();
    if (c === '[') return this.characterClass();
    if (c === '.')
      return {
        kind: 'set',
        ranges: [
          [0x0a, 0x0a],
          [0x0d, 0x0d],
        ],
        negated: true,
      };
    if (c === '\\') return this.escape(false);
    if (c === '^' || c === '$') throw new RegexFeatureError(`anchor "${c}" inside the pattern`);
    if (c === '*' || c === '+' || c === '?')
      throw new RegexFeatureError(`quantifier "${c}" without a target`);
    return literal(c.codePointAt(0)!);
  }

  private group(): Node {
    if (this.peek() === '?') {
      const rest = this.chars.slice(this.at, this.at + 3).join('');
      if (rest.startsWith('?:')) this.at += 2;
      else if (/^\?<[A-Za-z_]/.test(rest)) {
        while (this.peek() !== '>' && this.peek() !== undefined) this.at++;
        this.at++;
      } else throw new RegexFeatureError(`lookaround or inline flags "(${rest}…)"`);
    }
    const node = this.alternation();
    if (this.chars[this.at++] !== ')') throw new RegexFeatureError('unbalanced parenthesis');
    return node;
  }

  private characterClass(): Node {
    const negated = this.peek() === '^';
    if (negated) this.at++;
    const ranges: [number, number][] = [];
    let first = true;
    while (this.peek() !== ']' || first) {
      first = false;
      const c = this.chars[this.at++];
      if (c === undefined) throw new RegexFeatureError('unterminated character class');
      let low: number;
      if (c === '\\') {
        const escaped = this.escape(true);
        if (escaped.kind !== 'set') throw new RegexFeatureError('unsupported escape in class');
        if (
          escaped.negated ||
          escaped.ranges.length !== 1 ||
          escaped.ranges[0]![0] !== escaped.ranges[0]![1]
        ) {
          if (escaped.negated)
            throw new RegexFeatureError('negated shorthand (\\D, \\W, \\S) inside a class');
          ranges.push(...escaped.ranges);
          continue;
        }
        low = escaped.ranges[0]![0];
      } else low = c.codePointAt(0)!;
      if (this.peek() === '-' && this.chars[this.at + 1] !== ']' && this.chars[this.at + 1] !== undefined) {
        this.at++;
        const d = this.chars[this.at++]!;
        const high = d === '\\' ? singleCodePoint(this.escape(true)) : d.codePointAt(0)!;
        ranges.push([low, high]);
      } else ranges.push([low, low]);
    }
    this.at++;
    return { kind: 'set', ranges, negated };
  }

  /** After a backslash. */
  private escape(inClass: boolean): Node {
    const c = this.chars[this.at++];
    if (c === undefined) throw new RegexFeatureError('trailing backslash');
    const shorthand: Record<string, [number, number][]> = {
      d: [[0x30, 0x39]],
      w: [
        [0x30, 0x39],
        [0x41, 0x5a],
        [0x5f, 0x5f],
        [0x61, 0x7a],
      ],
      s: [
        [0x09, 0x0d],
        [0x20, 0x20],
      ],
    };
    if (shorthand[c]) return { kind: 'set', ranges: shorthand[c], negated: false };
    const lower = c.toLowerCase();
    if (shorthand[lower] && c !== lower) return { kind: 'set', ranges: shorthand[lower], negated: true };
    if (/[1-9]/.test(c) || c === 'k') throw new RegexFeatureError('backreference');
    if ((c === 'b' || c === 'B') && !inClass) throw new RegexFeatureError('word boundary (\\b, \\B)');
    if (c === 'p' || c === 'P') throw new RegexFeatureError('Unicode property escape (\\p{…})');
    const controls: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, b: 8, '0': 0 };
    if (controls[c] !== undefined) return literal(controls[c]);
    if (c === 'x' || c === 'u') {
      const rest = this.chars.slice(this.at).join('');
      const match =
        c === 'x' ? /^[0-9a-fA-F]{2}/.exec(rest) : /^(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})/.exec(rest);
      if (!match) return literal(c.codePointAt(0)!);
      this.at += match[0].length;
      return literal(Number.parseInt(match[0].replace(/[{}]/g, ''), 16));
    }
    return literal(c.codePointAt(0)!);
  }
}

function literal(codePoint: number): Node {
  return { kind: 'set', ranges: [[codePoint, codePoint]], negated: false };
}

function singleCodePoint(node: Node): number {
  if (
    node.kind !== 'set' ||
    node.negated ||
    node.ranges.length !== 1 ||
    node.ranges[0]![0] !== node.ranges[0]![1]
  )
    throw new RegexFeatureError('class range bound must be a single character');
  return node.ranges[0]![0];
}

function emit(node: Node): string {
  if (node.kind === 'set') return emitSet(node);
  if (node.kind === 'repeat') {
    const inner = wrap(emit(node.node));
    if (node.max === undefined)
      return node.min === 0 ? `${inner}*` : node.min === 1 ? `${inner}+` : `${inner}{${node.min},}`;
    if (node.min === 0 && node.max === 1) return `${inner}?`;
    return node.min === node.max ? `${inner}{${node.min}}` : `${inner}{${node.min},${node.max}}`;
  }
  const options = node.options.map((seq) => (seq.length === 0 ? '""' : seq.map(emit).join(' ')));
  return options.length === 1 ? options[0]! : `(${options.join(' | ')})`;
}

/** Parenthesises anything but a single class, literal or rule name, so a quantifier binds to all of it. */
function wrap(expression: string): string {
  return /^(\[(\\.|[^\]\\])*\]|"(\\.|[^"\\])*"|[a-zA-Z0-9-]+)$/.test(expression)
    ? expression
    : `(${expression})`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const JSON_ESCAPES: Record<number, string> = {
  8: '\\\\b',
  9: '\\\\t',
  10: '\\\\n',
  12: '\\\\f',
  13: '\\\\r',
};

/**
 * A character set as JSON text: plain characters in one GBNF class; `"`, `\` and the control
 * characters with a short JSON escape as their escaped spellings; other control characters omitted.
 */
function emitSet(node: Extract<Node, { kind: 'set' }>): string {
  const alternatives: string[] = [];
  const inSet = (cp: number) => node.ranges.some(([a, b]) => cp >= a && cp <= b) !== node.negated;
  if (node.negated) {
    const excluded = node.ranges.map(([a, b]) => classRange(a, b)).join('');
    alternatives.push(`[^${excluded}"\\\\\\x00-\\x1F]`);
  } else {
    const plain: string[] = [];
    for (const [a, b] of node.ranges) {
      for (const [x, y] of subtractSpecials(a, b)) plain.push(classRange(x, y));
    }
    if (plain.length > 0) alternatives.push(`[${plain.join('')}]`);
  }
  if (inSet(QUOTE)) alternatives.push('"\\\\\\""');
  if (inSet(BACKSLASH)) alternatives.push('"\\\\\\\\"');
  for (const [cp, spelled] of Object.entries(JSON_ESCAPES))
    if (inSet(Number(cp))) alternatives.push(`"${spelled}"`);
  if (alternatives.length === 0) throw new RegexFeatureError('a character class that matches nothing');
  return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' | ')})`;
}

/** [a, b] without `"`, `\` and control characters. */
function subtractSpecials(a: number, b: number): [number, number][] {
  const out: [number, number][] = [];
  let from = Math.max(a, 0x20);
  for (const cut of [QUOTE, BACKSLASH]) {
    if (from <= cut && cut <= b) {
      if (from < cut) out.push([from, cut - 1]);
      from = cut + 1;
    }
  }
  if (from <= b) out.push([from, b]);
  return out;
}

function classRange(a: number, b: number): string {
  return a === b ? classChar(a) : `${classChar(a)}-${classChar(b)}`;
}

function classChar(cp: number): string {
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
  const c = String.fromCodePoint(cp);
  return /[\]\\^-]/.test(c) ? `\\${c}` : c;
}
