import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createConnectionGuard } from './connection-guard.js';

describe('createConnectionGuard', () => {
  const serverSockets: Socket[] = [];
  const refused: string[] = [];
  const guard = createConnectionGuard({ maxPerAddress: () => 3, onRefused: (a) => refused.push(a) });
  const server = createServer((socket) => {
    serverSockets.push(socket);
    guard.admit(socket);
  });
  let port = 0;
  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  });
  after(() => server.close());

  const open = async () => {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return socket;
  };
  const accepted = async (n: number) => {
    while (serverSockets.length < n) await new Promise((r) => setImmediate(r));
  };

  test('past the cap a connection is closed at once; authenticated ones stop counting', async () => {
    const clients = [await open(), await open(), await open()];
    await accepted(3);
    assert.equal(guard.open('127.0.0.1'), 3);

    const fourth = await open();
    await once(fourth, 'close');
    assert.deepEqual(refused, ['127.0.0.1']);

    guard.authenticated(serverSockets[0]!);
    assert.equal(guard.open('127.0.0.1'), 2);
    const fifth = await open();
    await accepted(5);
    assert.equal(guard.open('127.0.0.1'), 3, 'the authenticated connection made room');

    // Closing an unauthenticated connection gives its place back; the authenticated one is not counted twice.
    for (const c of [...clients, fifth]) c.destroy();
    while (guard.open('127.0.0.1') > 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(guard.open('127.0.0.1'), 0);
  });
});
