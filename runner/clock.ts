/**
 * Times as papermill writes them. Its metadata holds Python's
 * `datetime.now(timezone.utc).isoformat()` (`2026-01-02T03:04:05.123456+00:00`:
 * microseconds, an explicit offset, no `Z`, and no fraction at all when the
 * microseconds are 0) and durations as `timedelta.total_seconds()`. nbclient,
 * which papermill executes with, writes the protocol times of
 * metadata.execution from the messages' header dates as
 * `%Y-%m-%dT%H:%M:%S.%fZ` (always six digits, `Z`). The `pm`
 * values of path templates are datetimes formatted with str(): a space
 * instead of the `T`, the local one without an offset.
 */
import { performance } from 'node:perf_hooks';

/** Microseconds since the epoch (Date alone has only milliseconds). */
export type Micros = number;

export function nowMicros(): Micros {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

function format(us: Micros, sep: string, offset: string, alwaysFraction = false): string {
  const seconds = Math.floor(us / 1e6);
  const fraction = us - seconds * 1e6;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', sep);
  return `${base}${fraction || alwaysFraction ? `.${String(fraction).padStart(6, '0')}` : ''}${offset}`;
}

/** Python's `datetime.now(timezone.utc).isoformat()`. */
export function isoformatUtc(us: Micros = nowMicros()): string {
  return format(us, 'T', '+00:00');
}

/** Python's `str(datetime.now(timezone.utc))`. */
export function strUtc(us: Micros = nowMicros()): string {
  return format(us, ' ', '+00:00');
}

/** Python's `str(datetime.now())`: local wall time, no offset. */
export function strLocal(us: Micros = nowMicros()): string {
  const offsetMinutes = new Date(Math.floor(us / 1000)).getTimezoneOffset();
  return format(us - offsetMinutes * 60e6, ' ', '');
}

/** nbclient's form of a message's header date (now, when the kernel sent none or an unreadable one). */
export function nbclientTimestamp(headerDate?: string): string {
  const us = headerDate ? parseIsoMicros(headerDate) : NaN;
  return format(Number.isNaN(us) ? nowMicros() : us, 'T', 'Z', true);
}

/** An ISO timestamp (papermill's, or any JavaScript one) in microseconds; NaN when it is none. */
export function parseIsoMicros(text: string): Micros {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?$/.exec(text);
  if (!m) return NaN;
  const fraction = Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
  return Date.parse(`${m[1]}${m[3] ?? 'Z'}`) * 1000 + fraction;
}

/** `timedelta.total_seconds()` between two timestamps; null when the start is unknown. */
export function secondsBetween(startIso: string | null | undefined, endUs: Micros): number | null {
  const start = startIso ? parseIsoMicros(startIso) : NaN;
  return Number.isNaN(start) ? null : (endUs - start) / 1e6;
}
