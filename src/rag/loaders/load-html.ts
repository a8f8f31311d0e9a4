/**
 * HTML: the main content is extracted with Mozilla Readability over jsdom, so navigation, sidebars,
 * cookie banners and footers stay out of the index. Pages Readability does not recognise as an
 * article fall back to the body without its obvious boilerplate elements. jsdom is imported on first
 * use: it costs a few hundred milliseconds that `search` and `ask` should not pay.
 */
import { importOptional } from '../../core/optional-import.js';
import { htmlToText } from './html-to-text.js';
import type { SourceInfo } from './load-text.js';
import type { LoadedDocument } from './loaded-document.js';
import { decodeUtf8, titleFromName } from './normalize-text.js';

const BOILERPLATE =
  'script, style, noscript, nav, header, footer, aside, form, [role="navigation"], [aria-hidden="true"]';

export async function loadHtml(data: Uint8Array | string, info: SourceInfo): Promise<LoadedDocument> {
  const [{ JSDOM, VirtualConsole }, { Readability }] = await Promise.all([
    importOptional('jsdom', 'HTML documents', () => import('jsdom')),
    importOptional('@mozilla/readability', 'HTML documents', () => import('@mozilla/readability')),
  ]);
  const html = typeof data === 'string' ? data : decodeUtf8(data);
  // A silent console: jsdom reports every CSS it cannot parse, which is noise for ingestion.
  const dom = new JSDOM(html, {
    url: info.uri?.startsWith('http') ? info.uri : 'http://localhost/',
    virtualConsole: new VirtualConsole(),
  });
  try {
    const document = dom.window.document;
    const pageTitle = document.title.trim();
    const lang = document.documentElement.getAttribute('lang');
    const article = new Readability<Node>(document.cloneNode(true) as Document, {
      serializer: (node) => node,
    }).parse();
    let extracted = article?.content ? htmlToText(article.content) : { text: '', headings: [] };
    if (!extracted.text.trim()) {
      for (const el of document.querySelectorAll(BOILERPLATE)) el.remove();
      extracted = htmlToText(document.body ?? document);
    }
    const metadata: Record<string, unknown> = { ...info.metadata, format: 'html' };
    if (article?.byline) metadata.byline = article.byline;
    if (article?.siteName) metadata.site_name = article.siteName;
    if (article?.publishedTime) metadata.published_time = article.publishedTime;
    if (article?.lang || lang) metadata.lang = article?.lang || lang;
    return {
      id: info.id,
      uri: info.uri,
      title: article?.title?.trim() || pageTitle || titleFromName(info.name),
      format: 'html',
      text: extracted.text,
      headings: extracted.headings,
      pages: [],
      metadata,
    };
  } finally {
    dom.window.close();
  }
}
