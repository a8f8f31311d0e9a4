/**
 * Writes small, valid PDFs for loader tests: pages of Helvetica text (a blank line leaves a paragraph
 * gap), a page with only vector graphics (no text layer, like a scan), and optional encryption with
 * the standard security handler (RC4, revision 2), which is real encryption that pdf.js refuses to
 * open without the password. The committed fixture `test/fixtures/rag/orbital-mechanics.pdf` is
 * written by `generate-fixtures.ts` with this module, so it can be regenerated and reviewed.
 */
import { createHash } from 'node:crypto';

export interface PdfPage {
  /** Lines top to bottom; '' leaves a blank line (a paragraph break). Omit for a graphics-only page. */
  lines?: string[];
}

export interface PdfOptions {
  title?: string;
  pages: PdfPage[];
  /** Encrypts the file; opening it then needs this password. */
  userPassword?: string;
}

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  let i = 0;
  j = 0;
  for (let n = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
const padded = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), PAD]).subarray(0, 32);

function escapeText(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

function pageContent(page: PdfPage): string {
  if (!page.lines) return '0.5 g\n72 300 468 400 re f\n'; // a grey rectangle: drawn, but no text
  const ops = ['BT', '/F1 11 Tf', '14 TL', '72 720 Td'];
  for (const line of page.lines) ops.push(line ? `(${escapeText(line)}) Tj T*` : 'T*');
  ops.push('ET');
  return `${ops.join('\n')}\n`;
}

export function writePdf(options: PdfOptions): Buffer {
  const fileId = md5(Buffer.from(options.title ?? 'conduit test pdf'));
  let key: Buffer | null = null;
  let encryptDict = '';
  if (options.userPassword !== undefined) {
    const permissions = -44;
    const o = rc4(md5(padded(`${options.userPassword}-owner`)).subarray(0, 5), padded(options.userPassword));
    const p = Buffer.alloc(4);
    p.writeInt32LE(permissions);
    key = md5(padded(options.userPassword), o, p, fileId).subarray(0, 5);
    const u = rc4(key, PAD);
    encryptDict = `<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${o.toString('hex')}> /U <${u.toString('hex')}> /P ${permissions} >>`;
  }
  const objectKey = (num: number) => {
    const suffix = Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, 0, 0]);
    return md5(key!, suffix).subarray(0, 10);
  };
  const protect = (num: number, data: Buffer) => (key ? rc4(objectKey(num), data) : data);

  // Objects: 1 catalog, 2 pages, 3 font, 4 info, [5 encrypt], then a page and its content per page.
  const objects: Buffer[] = [];
  const first = key ? 6 : 5;
  const kids = options.pages.map((_, i) => `${first + i * 2} 0 R`).join(' ');
  objects.push(Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'));
  objects.push(Buffer.from(`<< /Type /Pages /Kids [${kids}] /Count ${options.pages.length} >>`));
  objects.push(
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'),
  );
  const title = protect(4, Buffer.from(options.title ?? '', 'latin1'));
  objects.push(Buffer.from(`<< /Title <${title.toString('hex')}> /Producer (conduit test pdf-writer) >>`));
  if (key) objects.push(Buffer.from(encryptDict));
  options.pages.forEach((page, i) => {
    const pageNum = first + i * 2;
    objects.push(
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageNum + 1} 0 R >>`,
      ),
    );
    const stream = protect(pageNum + 1, Buffer.from(pageContent(page), 'latin1'));
    objects.push(
      Buffer.concat([
        Buffer.from(`<< /Length ${stream.length} >>\nstream\n`),
        stream,
        Buffer.from('\nendstream'),
      ]),
    );
  });

  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let size = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(size);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    size += chunk.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`];
  for (const offset of offsets) xref.push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  const id = `<${fileId.toString('hex')}>`;
  xref.push(
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R${key ? ' /Encrypt 5 0 R' : ''} /ID [${id} ${id}] >>\nstartxref\n${size}\n%%EOF\n`,
  );
  parts.push(Buffer.from(xref.join(''), 'latin1'));
  return Buffer.concat(parts);
}
