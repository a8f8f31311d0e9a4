/**
 * A cap on connections per client address that have not yet authenticated. Anyone can open sockets
 * and trickle bytes into them; without a cap one address could hold every file descriptor of the
 * gateway. A connection stops counting once a request on it has been authenticated (a key, the
 * master key, or development mode's loopback caller), so keep-alive pools of real clients are never
 * refused. Bounded: one counter per address with open unauthenticated connections.
 */
import type { Socket } from 'node:net';

export interface ConnectionGuard {
  /** Counts a new connection; closes it at once when its address is over the cap. */
  admit(socket: Socket): void;
  /** A request on this connection authenticated: it no longer counts against its address. */
  authenticated(socket: Socket): void;
  /** Unauthenticated connections open from an address. */
  open(address: string): number;
}

export function createConnectionGuard(options: {
  /** Read per connection, so a config reload applies to new connections. */
  maxPerAddress: () => number;
  onRefused?: (address: string) => void;
}): ConnectionGuard {
  const counts = new Map<string, number>();
  const counted = new WeakSet<Socket>();
  const release = (socket: Socket) => {
    if (!counted.delete(socket)) return;
    const address = socket.remoteAddress ?? '';
    const left = (counts.get(address) ?? 1) - 1;
    if (left <= 0) counts.delete(address);
    else counts.set(address, left);
  };
  return {
    admit(socket) {
      const address = socket.remoteAddress ?? '';
      const now = (counts.get(address) ?? 0) + 1;
      if (now > options.maxPerAddress()) {
        options.onRefused?.(address);
        socket.destroy();
        return;
      }
      counts.set(address, now);
      counted.add(socket);
      socket.once('close', () => release(socket));
    },
    authenticated: release,
    open: (address) => counts.get(address) ?? 0,
  };
}
