import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseExpected } from './load-cases.js';
import { loadSuite, parseSuite, suiteNeeds } from './load-suite.js';

let dir: string;
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
/** The error message of parsing `yaml` as a suite in `dir`. */
const failure = async (yaml: string, env: NodeJS.ProcessEnv = {}) => {
  try {
    await parseSuite(yaml, join(dir, 'suite.yaml'), { env });
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected the suite to be refused');
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'conduit-suite-'));
  file('verbose.txt', 'Explain where {{country}} is.\n');
  file('chat.json', JSON.stringify([{ role: 'user', content: 'Hi from {{country}}' }]));
  file('answer.schema.json', JSON.stringify({ type: 'object', properties: { city: { type: 'string' } } }));
  file(
    'cases.jsonl',
    [
      JSON.stringify({ vars: { country: 'Spain' }, assert: [{ type: 'contains', value: 'Madrid' }] }),
      '',
      JSON.stringify({ __id: 'pt', country: 'Portugal', __expected: 'icontains: lisbon' }),
    ].join('\n'),
  );
  file(
    'cases.csv',
    'country,__expected,__expected2\nItaly,contains: Rome,"not-contains-any: Milan, Turin"\nGreece,Athens,\n',
  );
});

describe('loadSuite', () => {
  test('prompts, targets and cases in every supported form', async () => {
    const path = file(
      'suite.yaml',
      `name: capitals
prompts:
  - "Capital of {{country}}?"
  - id: expert
    system: You are a geographer.
    template: "{{country}}: capital?"
    examples:
      - { input: "Italy: capital?", output: Rome }
  - file: verbose.txt
  - file: chat.json
  - id: structured
    template: "{{country}} as JSON"
    schema: answer.schema.json
targets:
  - openai:gpt-4o-mini
  - id: gw
    gateway: http://127.0.0.1:4141/v1
    model: fast
    temperature: 0
    prompts: [expert]
  - rag: { collection: atlas, model: fast }
defaults:
  vars: { style: short }
  assert:
    - { type: latency, threshold: 5000 }
cases:
  - vars: { country: France }
    assert:
      - type: contains
        value: Paris
  - file: cases.jsonl
    assert: [{ type: cost, threshold: 0.01 }]
  - file: cases.csv
`,
    );
    const suite = await loadSuite(path, { env: {} });
    assert.equal(suite.name, 'capitals');
    assert.deepEqual(
      suite.prompts.map((p) => p.id),
      ['prompt-1', 'expert', 'verbose', 'chat', 'structured'],
    );
    assert.deepEqual(suite.prompts[1]!.messages[0], { role: 'system', content: 'You are a geographer.' });
    assert.equal(suite.prompts[2]!.messages[0]!.content, 'Explain where {{country}} is.');
    assert.equal(suite.prompts[3]!.messages[0]!.content, 'Hi from {{country}}');
    assert.deepEqual(suite.prompts[4]!.responseFormat, {
      type: 'json_schema',
      json_schema: { name: 'response', schema: { type: 'object', properties: { city: { type: 'string' } } } },
    });
    assert.deepEqual(
      suite.targets.map((t) => t.id),
      ['openai:gpt-4o-mini', 'gw', 'rag:atlas'],
    );
    assert.deepEqual(
      suite.cases.map((c) => c.id),
      ['case-1', 'cases.jsonl:1', 'pt', 'cases.csv:2', 'cases.csv:3'],
    );
    const [france, spain, portugal, italy, greece] = suite.cases;
    assert.deepEqual(france!.vars, { style: 'short', country: 'France' });
    assert.deepEqual(
      spain!.assert.map((a) => a.type),
      ['latency', 'cost', 'contains'],
    );
    assert.deepEqual(portugal!.assert.at(-1), { type: 'icontains', value: 'lisbon' });
    assert.deepEqual(italy!.assert.slice(1), [
      { type: 'contains', value: 'Rome' },
      { type: 'not-contains-any', value: ['Milan', 'Turin'] },
    ]);
    assert.deepEqual(greece!.assert.slice(1), [{ type: 'equals', value: 'Athens' }]);
    assert.equal(italy!.source, 'cases.csv:2');
  });

  test('${ENV} and ${ENV:-default} are interpolated; a missing variable names file and line', async () => {
    const suite = await parseSuite(
      'prompts: ["${PROMPT}"]\ntargets: ["${MODEL:-echo:x}"]\ncases: [{ vars: {} }]\n',
      join(dir, 'env.yaml'),
      { env: { PROMPT: 'Hello' } },
    );
    assert.equal(suite.prompts[0]!.messages[0]!.content, 'Hello');
    assert.equal(suite.targets[0]!.model, 'echo:x');
    const message = await failure('prompts: [hi]\ntargets:\n  - model: ${NOPE}\ncases: [{}]\n');
    assert.match(message, /suite\.yaml:3: targets\[0\]\.model uses \$\{NOPE\}, but NOPE is not set/);
  });

  test('an unknown key is reported with its line and path', async () => {
    const message = await failure(
      'prompts: [hi]\ntargets: [a:b]\ncases:\n  - vars: {}\n    asert:\n      - type: contains\n',
    );
    assert.match(message, /suite\.yaml:5: unknown key cases\[0\]\.asert/);
  });

  test('an unknown assertion type lists the known ones', async () => {
    const message = await failure(
      'prompts: [hi]\ntargets: [a:b]\ncases:\n  - assert:\n      - type: contain\n',
    );
    assert.match(
      message,
      /suite\.yaml:5: cases\[0\]\.assert\[0\]\.type: unknown assertion type; known: equals, contains/,
    );
  });

  test('a prompt variable a case lacks is found before any model call', async () => {
    const message = await failure('prompts: ["{{question}}"]\ntargets: [a:b]\ncases:\n  - vars: { q: x }\n');
    assert.match(
      message,
      /suite\.yaml:4: case "case-1" has no variable \{\{question\}\}, which prompt "prompt-1" uses/,
    );
    const assertion = await failure(
      'prompts: [hi]\ntargets: [a:b]\ncases:\n  - assert: [{ type: contains, value: "{{answer}}" }]\n',
    );
    assert.match(assertion, /assertion contains uses \{\{answer\}\}, which the case does not define/);
  });

  test('suite mistakes with clear messages', async () => {
    assert.match(
      await failure('prompts: [hi]\ntargets: [{ pipeline: x }]\ncases: [{}]\n'),
      /pipeline targets are not available yet/,
    );
    assert.match(
      await failure('prompts: [hi]\ntargets: [a:b]\ncases: [{ id: x }, { id: x }]\n'),
      /case id "x" is also used at/,
    );
    assert.match(
      await failure('prompts: [hi]\ntargets: [a:b]\ncases: [{ assert: [{ type: contains }] }]\n'),
      /assertion contains needs a value/,
    );
    assert.match(
      await failure('prompts: [{ template: a, file: b.txt }]\ntargets: [a:b]\ncases: [{}]\n'),
      /exactly one of template, messages or file/,
    );
    assert.match(
      await failure('prompts: [hi]\ntargets: [a:b]\ncases: [{ file: missing.jsonl }]\n'),
      /cannot read missing\.jsonl: ENOENT/,
    );
    assert.match(await failure('prompts: [hi\ntargets: [a:b]\n'), /suite\.yaml:\d+:\d+: invalid YAML/);
  });

  test('broken case files name their line', async () => {
    file('bad.jsonl', '{"vars": {}}\n{not json\n');
    assert.match(
      await failure('prompts: [hi]\ntargets: [a:b]\ncases: bad.jsonl\n'),
      /bad\.jsonl:2: not JSON/,
    );
    file('bad.csv', 'a,b\n1,2,3\n');
    assert.match(
      await failure('prompts: [hi]\ntargets: [a:b]\ncases: bad.csv\n'),
      /bad\.csv:2: 3 fields, but the header has 2/,
    );
  });

  test('suiteNeeds lists the assertions that need a judge or an embedding model', async () => {
    const suite = await parseSuite(
      'prompts: [hi]\ntargets: [a:b]\ncases:\n  - assert: [{ type: llm-rubric, value: x }, { type: not-similar, value: y }, { type: faithfulness, contexts: c }]\n',
      join(dir, 'needs.yaml'),
      { env: {} },
    );
    assert.deepEqual(suiteNeeds(suite), { judge: ['llm-rubric', 'faithfulness'], embedder: ['not-similar'] });
  });
});

describe('parseExpected', () => {
  test("promptfoo's __expected syntax", () => {
    assert.deepEqual(parseExpected('similar(0.8): hello'), {
      type: 'similar',
      threshold: 0.8,
      value: 'hello',
    });
    assert.deepEqual(parseExpected('fn: output.length < 5'), {
      type: 'javascript',
      value: 'output.length < 5',
    });
    assert.deepEqual(parseExpected('grade: is polite'), { type: 'llm-rubric', value: 'is polite' });
    assert.deepEqual(parseExpected('is-json'), { type: 'equals', value: 'is-json' });
    assert.deepEqual(parseExpected('is-json:'), { type: 'is-json' });
    assert.deepEqual(parseExpected('Note: plain text'), { type: 'equals', value: 'Note: plain text' });
  });
});
