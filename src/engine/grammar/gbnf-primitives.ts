/**
 * The building blocks of JSON grammars: GBNF rules for JSON's primitive values (as llama.cpp's own
 * json-schema-to-grammar writes them, with bounded whitespace and digit counts), the string formats
 * we can enforce, literals, and which schema keywords are annotations rather than constraints.
 */
import { integerRangeGbnf } from './integer-range.js';

export const PRIMITIVES: Record<string, string> = {
  space: '| " " | "\\n" [ \\t]{0,20}',
  char: '[^"\\\\\\x7F\\x00-\\x1F] | [\\\\] (["\\\\/bfnrt] | "u" [0-9a-fA-F]{4})',
  string: '"\\"" char* "\\"" space',
  'integral-part': '[0] | [1-9] [0-9]{0,14}',
  'decimal-part': '[0-9]{1,16}',
  integer: '"-"? integral-part space',
  number: '"-"? integral-part ("." decimal-part)? ([eE] [-+]? [0-9]{1,3})? space',
  boolean: '("true" | "false") space',
  null: '"null" space',
  value: 'object | array | string | number | boolean | null',
  object: '"{" space ( string ":" space value ("," space string ":" space value)* )? "}" space',
  array: '"[" space ( value ("," space value)* )? "]" space',
};

export const PRIMITIVE_DEPENDENCIES: Record<string, string[]> = {
  string: ['char', 'space'],
  integer: ['integral-part', 'space'],
  number: ['integral-part', 'decimal-part', 'space'],
  boolean: ['space'],
  null: ['space'],
  value: ['object', 'array', 'string', 'number', 'boolean', 'null'],
  object: ['string', 'value', 'space'],
  array: ['value', 'space'],
};

export const FORMATS: Record<string, string> = {
  date: '[0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | [1-2] [0-9] | "3" [0-1])',
  time: '([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9] ("." [0-9]{1,6})? ("Z" | [+-] ([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9])',
  uuid: '[0-9a-fA-F]{8} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{12}',
  email:
    '[a-zA-Z0-9._%+-]{1,64} "@" [a-zA-Z0-9] [a-zA-Z0-9-]{0,62} ("." [a-zA-Z0-9] [a-zA-Z0-9-]{0,62}){1,4}',
  uri: '[a-zA-Z] [a-zA-Z0-9+.-]{0,15} ":" [^"\\\\\\x00-\\x20]+',
};
FORMATS['date-time'] = `${FORMATS.date} "T" ${FORMATS.time}`;
FORMATS.ipv4 = Array(4).fill(integerRangeGbnf(0, 255)).join(' "." ');

/** A GBNF string literal for exact text. */
export function literal(text: string): string {
  let out = '"';
  for (const c of text) {
    const cp = c.codePointAt(0)!;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (cp < 0x20) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'example',
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentEncoding',
  'contentMediaType',
  'strict',
]);

export function isAnnotation(key: string): boolean {
  return ANNOTATIONS.has(key) || key.startsWith('x-');
}

/** Formats that describe rather than restrict (JSON Schema leaves format checking optional). */
export function isAnnotationFormat(format: string): boolean {
  return format === 'regex' || format === 'binary' || format === 'byte' || format === 'password';
}
