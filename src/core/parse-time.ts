/**
 * Time as people type it on a command line or in a query string: durations (`500ms`, `30s`, `10m`,
 * `1h`, `2d`, `1w`) and points in time (a duration ago, an ISO date or date-time, epoch
 * milliseconds). The one parser behind every `--since`/`--until` flag and `since=` parameter.
 *
 * @example
 * parseDurationMs('10m');                 // 600_000
 * parseTimeBound('1h', Date.now());       // one hour ago
 * parseTimeBound('2026-12-01', now);      // midnight UTC (date-only ISO forms are UTC, as in Date.parse)
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const EPOCH_MS = /^\d{10,}$/;
// A calendar date first, so numbers and words that Date.parse also accepts ("1", "May 5") do not pass.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds in a duration such as `10m`; undefined when the text is not one. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * A point in time in epoch milliseconds: a duration before `now`, an ISO date or date-time, or epoch
 * milliseconds (10 digits or more); undefined when the text is none of these.
 */
export function parseTimeBound(text: string, now: number): number | undefined {
  const trimmed = text.trim();
  const duration = parseDurationMs(trimmed);
  const time =
    duration !== undefined
      ? now - duration
      : EPOCH_MS.test(trimmed)
        ? Number(trimmed)
        : ISO_DATE.test(trimmed)
          ? Date.parse(trimmed)
          : undefined;
  // Only times a Date can hold, from the epoch on: `99999999999999999999d` or 23 digits are not times.
  return time !== undefined && Number.isFinite(time) && time >= 0 && time <= MAX_DATE_MS ? time : undefined;
}

/** The latest time a JavaScript Date can represent (ECMA-262: 8.64e15 ms after the epoch). */
const MAX_DATE_MS = 8.64e15;

/** What `parseTimeBound` accepts, for error messages. */
export const TIME_BOUND_FORMS = 'a duration ago (30s, 10m, 1h, 2d), an ISO date (2026-12-01) or epoch ms';
