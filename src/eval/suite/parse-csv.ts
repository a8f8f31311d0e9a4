/**
 * A CSV reader for test cases, RFC 4180: comma-separated fields, records ending in CRLF or LF,
 * double-quoted fields that may hold commas, line breaks and `""` for a quote, an optional UTF-8
 * BOM. Written here rather than taken from a package because that is all cases need; it is one file
 * with one function, so swapping in `csv-parse` later touches nothing else.
 *
 * Like Python's csv module, a quote inside an unquoted field is kept literally; text after a closing
 * quote is an error, as is a quote left open at the end of the file.
 *
 * @example
 * parseCsv('q,a\n"Hello, world","say ""hi"""\n')
 * // [{ line: 1, fields: ['q', 'a'] }, { line: 2, fields: ['Hello, world', 'say "hi"'] }]
 */

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          if (i >= text.length) throw new Error(`line ${opened}: a quoted field is never closed`);
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          throw new Error(`line ${line}: unexpected text after a closing quote`);
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      // End of record: CRLF, LF, a lone CR, or the end of the text.
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    // A blank line is no record (fields would be one empty string).
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return records;
}
