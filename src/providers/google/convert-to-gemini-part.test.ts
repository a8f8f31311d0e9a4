import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { convertToGeminiPart } from './convert-to-gemini-part.js';

describe('convertToGeminiPart', () => {
  test('PDF files inline from a data URL or raw base64; Gemini file URIs by reference', () => {
    assert.deepEqual(
      convertToGeminiPart({ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' } }, 'p'),
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
    );
    assert.deepEqual(
      convertToGeminiPart({ type: 'file', file: { file_data: 'JVBERi0=', filename: 'a.txt' } }, 'p'),
      {
        inlineData: { mimeType: 'text/plain', data: 'JVBERi0=' },
      },
    );
    const uri = 'https://generativelanguage.googleapis.com/v1beta/files/abc-123';
    assert.deepEqual(convertToGeminiPart({ type: 'file', file: { file_id: uri } }, 'p'), {
      fileData: { mimeType: 'application/pdf', fileUri: uri },
    });
  });

  test('OpenAI file ids and non-http image URLs are refused, naming the part', () => {
    assert.throws(
      () => convertToGeminiPart({ type: 'file', file: { file_id: 'file-abc' } }, 'messages[0].content[1]'),
      (error: unknown) =>
        ConduitError.isInstance(error) &&
        error.code === 'unsupported' &&
        error.param === 'messages[0].content[1]',
    );
    assert.throws(
      () => convertToGeminiPart({ type: 'image_url', image_url: { url: 'ftp://x/a.png' } }, 'p'),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'bad_request',
    );
  });

  test("mp3 audio keeps Gemini's audio/mp3 type", () => {
    assert.deepEqual(
      convertToGeminiPart({ type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } }, 'p'),
      {
        inlineData: { mimeType: 'audio/mp3', data: 'SUQz' },
      },
    );
  });
});
