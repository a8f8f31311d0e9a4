import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ConduitError } from './errors.js';
import { importOptional, installCommand, OPTIONAL_PACKAGES } from './optional-import.js';

// A variable, so TypeScript does not resolve the specifier.
const MISSING = 'conduit-surely-missing-package';

describe('importOptional', () => {
  test('a missing package becomes a ConduitError naming it, the feature and the install command', async () => {
    const error = await importOptional(MISSING, 'testing', () => import(MISSING)).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.ok(ConduitError.isInstance(error));
    assert.equal(error.code, 'unsupported');
    assert.equal(
      error.message,
      `The optional package ${MISSING} is not installed (used for testing); install it with: npm install ${MISSING}`,
    );
    assert.equal((error.cause as { code?: string }).code, 'ERR_MODULE_NOT_FOUND');
  });

  test('a missing subpath import and a missing CommonJS resolve count as the package missing', async () => {
    await assert.rejects(
      importOptional(MISSING, 'testing', () => import(`${MISSING}/legacy/build/x.mjs`)),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'unsupported',
    );
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    await assert.rejects(
      importOptional(MISSING, 'testing', async () => require.resolve(`${MISSING}/package.json`)),
      (e: unknown) => ConduitError.isInstance(e) && e.code === 'unsupported',
    );
  });

  test('an installed package loads; other failures pass through unchanged', async () => {
    const yaml = await importOptional('yaml', 'testing', () => import('yaml'));
    assert.equal(typeof yaml.parse, 'function');
    const other = Object.assign(new Error("Cannot find package 'some-dependency'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await assert.rejects(
      importOptional('pg', 'testing', () => Promise.reject(other)),
      (e) => e === other,
    );
  });

  test('the install command pins the supported version, quoted when a shell would read it', () => {
    assert.equal(installCommand('node-llama-cpp'), 'npm install node-llama-cpp@3.21.1');
    assert.match(installCommand('pg'), /^npm install "pg@\^\d+\.\d+\.\d+"$/);
  });

  test('the table matches package.json: optional peers, also installed for development', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    for (const [name, range] of Object.entries(OPTIONAL_PACKAGES)) {
      assert.equal(pkg.peerDependencies[name], range, `peerDependencies.${name}`);
      assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `peerDependenciesMeta.${name}`);
      assert.equal(pkg.devDependencies[name], range, `devDependencies.${name}`);
      assert.equal(pkg.dependencies?.[name], undefined, `${name} is not a dependency`);
    }
    for (const [name, meta] of Object.entries(pkg.peerDependenciesMeta)) {
      if (meta.optional) assert.ok(Object.hasOwn(OPTIONAL_PACKAGES, name), `${name} in OPTIONAL_PACKAGES`);
    }
  });
});
