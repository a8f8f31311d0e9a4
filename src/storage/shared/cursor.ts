/**
 * Opaque page cursors for newest-first listings: the last row's time and insertion sequence, so
 * rows with equal timestamps are neither skipped nor repeated.
 */
import { badRequest } from './checks.js';

export interface CursorPosition {
  time: number;
  seq: number;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.time}:${position.seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  const [time, seq, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const position = { time: Number(time), seq: Number(seq) };
  if (extra !== undefined || !Number.isFinite(position.time) || !Number.isInteger(position.seq)) {
    throw badRequest('cursor is not one this server returned', 'cursor');
  }
  return position;
}
