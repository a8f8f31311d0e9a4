import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildMessages, questionOf } from './build-messages.js';
import { MissingVariableError, renderDeep, renderTemplate, templateVariables } from './render-template.js';

describe('renderTemplate', () => {
  test('names and dotted paths, spaces inside braces; non-strings as JSON', () => {
    assert.equal(renderTemplate('{{ a }}-{{b.c}}-{{n}}', { a: 'x', b: { c: 'y' }, n: 3 }), 'x-y-3');
    assert.equal(renderTemplate('{{list}}', { list: [1, 'two'] }), '[1,"two"]');
    assert.equal(renderTemplate('{ "literal": true } {{x}}', { x: '$&' }), '{ "literal": true } $&');
  });

  test('a missing variable is an error naming it, never an empty string', () => {
    assert.throws(
      () => renderTemplate('{{question}} {{ctx.doc}}', { question: 'q' }),
      (e: unknown) => e instanceof MissingVariableError && e.variables.join() === 'ctx.doc',
    );
    assert.deepEqual(templateVariables('{{a}} {{b.c}} {{a}}'), ['a', 'b.c']);
  });

  test('renderDeep renders strings inside lists and objects', () => {
    assert.deepEqual(renderDeep({ v: ['{{x}}', 1] }, { x: 'y' }), { v: ['y', 1] });
  });
});

describe('buildMessages', () => {
  test('few-shot examples go after the system message, before the prompt', () => {
    const messages = buildMessages(
      {
        id: 'p',
        messages: [
          { role: 'system', content: 'Answer with a city.' },
          { role: 'user', content: 'Capital of {{country}}?' },
        ],
        examples: [{ input: 'Capital of Italy?', output: 'Rome' }],
      },
      { country: 'France' },
    );
    assert.deepEqual(messages, [
      { role: 'system', content: 'Answer with a city.' },
      { role: 'user', content: 'Capital of Italy?' },
      { role: 'assistant', content: 'Rome' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    assert.equal(questionOf(messages, {}), 'Capital of France?');
    assert.equal(questionOf(messages, { question: 'Q?' }), 'Q?');
  });
});
