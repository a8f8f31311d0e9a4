/**
 * Text normalisation shared by the loaders. Extracted text is what offsets point into, so it is
 * normalised once, at load time, and never again afterwards.
 */

/** Drops a byte-order mark and turns CRLF / CR line ends into LF. */
export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** A file name without directory or extension, as a fallback title. */
export function titleFromName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD rather than failing the load). */
export function decodeUtf8(data: Uint8Array): string {
  return new TextDecoder('utf-8').decode(data);
}
