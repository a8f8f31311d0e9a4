/**
 * A tolerant parser for a JSON *prefix*, as it arrives token by token from a model. It returns the
 * value the prefix shows so far, and is built so that the values of successive prefixes only grow:
 * strings extend, arrays and objects gain members, and nothing shown is later taken back. So:
 *
 * - an unterminated string is closed (a dangling `\` or half `\u` escape is left out);
 * - a number at the end is left out (`12` may still become `123`), as is a half-written literal;
 * - a key whose value has not started (or is such a number/literal) is left out;
 * - open arrays and objects are closed.
 *
 * Parsing stops at the first character that cannot be JSON and returns what came before it.
 */

export interface PartialJson {
  /** The value so far; undefined when the prefix shows none yet. */
  value: unknown;
  /** True when the text is one whole JSON value (surrounding whitespace aside). */
  complete: boolean;
}

interface Parsed {
  value: unknown;
  /** The value's text ended inside the input. */
  closed: boolean;
  /** An unclosed value that can be shown now because it only grows (strings, arrays, objects). */
  growable: boolean;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBER_CHAR = /[-+0-9.eE]/;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const LITERALS: Record<string, unknown> = { true: true, false: false, null: null };

class PrefixParser {
  i = 0;
  /** Set at the first character that cannot continue valid JSON. */
  invalid = false;
  constructor(readonly text: string) {}

  skipWhitespace(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i++;
  }

  value(): Parsed | undefined {
    this.skipWhitespace();
    const ch = this.text[this.i];
    if (ch === undefined) return undefined;
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    if (ch === 't' || ch === 'f' || ch === 'n') return this.literal();
    this.invalid = true;
    return undefined;
  }

  object(): Parsed {
    const out: Record<string, unknown> = {};
    this.i++; // {
    const open = { value: out, closed: false, growable: true };
    for (;;) {
      this.skipWhitespace();
      if (this.i >= this.text.length) return open;
      if (this.text[this.i] === '}') {
        this.i++;
        return { value: out, closed: true, growable: true };
      }
      if (this.text[this.i] !== '"') return this.stop(open);
      const key = this.string();
      if (!key.closed) return open;
      this.skipWhitespace();
      if (this.i >= this.text.length) return open;
      if (this.text[this.i] !== ':') return this.stop(open);
      this.i++;
      const member = this.value();
      if (member && (member.closed || member.growable)) out[key.value as string] = member.value;
      if (!member?.closed) return open;
      if (!this.separator('}')) return open;
      if (this.text[this.i - 1] === '}') return { value: out, closed: true, growable: true };
    }
  }

  array(): Parsed {
    const out: unknown[] = [];
    this.i++; // [
    const open = { value: out, closed: false, growable: true };
    this.skipWhitespace();
    if (this.text[this.i] === ']') {
      this.i++;
      return { value: out, closed: true, growable: true };
    }
    for (;;) {
      const item = this.value();
      if (item && (item.closed || item.growable)) out.push(item.value);
      if (!item?.closed) return open;
      if (!this.separator(']')) return open;
      if (this.text[this.i - 1] === ']') return { value: out, closed: true, growable: true };
    }
  }

  /** Consumes `,` or the closing bracket after a member; false at the end of input or on junk. */
  separator(close: string): boolean {
    this.skipWhitespace();
    const ch = this.text[this.i];
    if (ch === ',' || ch === close) {
      this.i++;
      return true;
    }
    if (ch !== undefined) this.invalid = true;
    return false;
  }

  string(): Parsed {
    let out = '';
    let start = ++this.i; // opening quote
    const text = this.text;
    while (this.i < text.length) {
      const ch = text[this.i]!;
      if (ch === '"') {
        out += text.slice(start, this.i++);
        return { value: out, closed: true, growable: true };
      }
      if (ch !== '\\') {
        this.i++;
        continue;
      }
      out += text.slice(start, this.i);
      const kind = text[this.i + 1];
      if (kind === undefined) return this.endOfString(out, text.length);
      if (kind === 'u') {
        const hex = text.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]*$/.test(hex)) return this.stop({ value: out, closed: false, growable: true });
        if (hex.length < 4) return this.endOfString(out, text.length);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.i += 6;
      } else {
        const decoded = ESCAPES[kind];
        if (decoded === undefined) return this.stop({ value: out, closed: false, growable: true });
        out += decoded;
        this.i += 2;
      }
      start = this.i;
    }
    out += text.slice(start);
    return { value: out, closed: false, growable: true };
  }

  private endOfString(value: string, end: number): Parsed {
    this.i = end;
    return { value, closed: false, growable: true };
  }

  number(): Parsed | undefined {
    const start = this.i;
    while (this.i < this.text.length && NUMBER_CHAR.test(this.text[this.i]!)) this.i++;
    const raw = this.text.slice(start, this.i);
    const valid = NUMBER.test(raw);
    // At the end of input more digits may follow: the number is shown only if nothing contains it.
    if (this.i >= this.text.length)
      return valid ? { value: Number(raw), closed: false, growable: false } : undefined;
    if (!valid) return this.stop(undefined);
    return { value: Number(raw), closed: true, growable: false };
  }

  literal(): Parsed | undefined {
    for (const [word, value] of Object.entries(LITERALS)) {
      const rest = this.text.slice(this.i, this.i + word.length);
      if (rest === word) {
        this.i += word.length;
        return { value, closed: true, growable: false };
      }
      if (this.i + rest.length >= this.text.length && word.startsWith(rest)) {
        this.i = this.text.length;
        return undefined; // a literal cut off by the end of input
      }
    }
    return this.stop(undefined);
  }

  private stop<T>(result: T): T {
    this.invalid = true;
    return result;
  }
}

/**
 * Parses a JSON prefix into the best value it shows so far. Never throws.
 *
 * @example
 * parsePartialJson('{"name":"Ada","tags":["math","comp');
 * // { value: { name: 'Ada', tags: ['math', 'comp'] }, complete: false }
 */
export function parsePartialJson(text: string): PartialJson {
  const parser = new PrefixParser(text);
  const parsed = parser.value();
  if (!parsed) return { value: undefined, complete: false };
  parser.skipWhitespace();
  const atEnd = !parser.invalid && parser.i >= text.length;
  // A bare top-level number at the end is a whole JSON text even though it could still grow.
  const complete = atEnd && (parsed.closed || (!parsed.growable && typeof parsed.value === 'number'));
  return { value: parsed.value, complete };
}
