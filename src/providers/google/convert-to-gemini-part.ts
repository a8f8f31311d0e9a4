/**
 * One OpenAI content part → one Gemini part. Inline bytes (data URLs, base64 audio and files) go as
 * `inlineData`; remote URLs as `fileData`, which needs a MIME type that OpenAI's parts do not carry,
 * so it is guessed from the URL's extension.
 */
import { ConduitError } from '../../core/errors.js';
import type { ContentPart } from '../../core/messages.js';
import { parseDataUrl } from '../../core/messages.js';
import type { GeminiPart } from './gemini-api.js';

/**
 * @param param names the part in errors, e.g. "messages[2].content[1]".
 * @example
 * convertToGeminiPart({ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }, 'messages[0].content[0]');
 * // → { fileData: { mimeType: 'image/png', fileUri: 'https://x.test/a.png' } }
 */
export function convertToGeminiPart(part: ContentPart, param: string): GeminiPart {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image_url': {
      const url = part.image_url.url;
      const inline = parseDataUrl(url);
      if (inline) return { inlineData: { mimeType: inline.mediaType, data: inline.data } };
      if (!/^https?:\/\//i.test(url))
        throw badRequest(`${param}: image_url must be an http(s) or data URL`, param);
      return { fileData: { mimeType: guessMimeType(url, 'image/jpeg'), fileUri: url } };
    }
    case 'input_audio':
      // OpenAI's formats are "wav" and "mp3"; Gemini's types for them are audio/wav and audio/mp3.
      return { inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } };
    case 'file': {
      const { file_data, file_id, filename } = part.file;
      const fallback = guessMimeType(filename ?? '', 'application/pdf');
      if (file_data) {
        const inline = parseDataUrl(file_data);
        return {
          inlineData: inline
            ? { mimeType: inline.mediaType, data: inline.data }
            : { mimeType: fallback, data: file_data },
        };
      }
      // A Gemini Files API upload is addressed by its URI; OpenAI file ids mean nothing here.
      if (file_id && /^https?:\/\//i.test(file_id))
        return { fileData: { mimeType: fallback, fileUri: file_id } };
      const message = `google: ${param}: pass file_data, or a Gemini file URI as file_id`;
      throw new ConduitError('unsupported', message, { provider: 'google', param });
    }
  }
}

const MIME_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  mp4: 'video/mp4',
  txt: 'text/plain',
};

function guessMimeType(url: string, fallback: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (ext && MIME_TYPES[ext]) || fallback;
}

function badRequest(message: string, param: string): ConduitError {
  return new ConduitError('bad_request', `google: ${message}`, { provider: 'google', param });
}
