/**
 * Escaping for the XML and HTML reports. Model output is untrusted text: it can hold `<script>`,
 * quotes, control characters and lone surrogates. XML 1.0 cannot represent most control characters
 * even as references, so they are dropped (and reported as U+FFFD) rather than producing a file a
 * CI server refuses to parse.
 */

// Characters XML 1.0 allows: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an element body or a quoted attribute, in XML or HTML. */
export function escapeMarkup(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}
