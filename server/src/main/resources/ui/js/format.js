// Formatting of times, durations and sizes. Times are shown in UTC, like the time-range filter,
// so what a person reads in a row is what they type into the filter.

/** '2026-11-27 14:03:12' (UTC) from an RFC 3339 string; '' when absent or unparseable. */
export function formatTime(iso) {
  const ms = parseTime(iso);
  if (ms === null) return '';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function parseTime(iso) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** '1h 02m', '3m 07s', '12s', '850ms'; '' when either end is missing or the span is negative. */
export function formatDuration(startIso, endIso) {
  const start = parseTime(startIso);
  const end = parseTime(endIso);
  if (start === null || end === null || end < start) return '';
  return formatSeconds((end - start) / 1000);
}

export function formatSeconds(totalSeconds) {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '';
  if (totalSeconds < 1) return `${Math.round(totalSeconds * 1000)}ms`;
  if (totalSeconds < 60) return `${totalSeconds < 10 ? totalSeconds.toFixed(1) : Math.round(totalSeconds)}s`;
  const s = Math.round(totalSeconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${pad(hours)}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(seconds)}s`;
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatCount(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '';
}

/** The phases Argo gives workflows and nodes, with an icon and a colour class each. */
const PHASES = {
  Succeeded: { icon: '✔', cls: 'ok' },
  Failed: { icon: '✖', cls: 'bad' },
  Error: { icon: '⚠', cls: 'error' },
  Running: { icon: '◔', cls: 'run' },
  Pending: { icon: '○', cls: 'wait' },
  Skipped: { icon: '↷', cls: 'muted' },
  Omitted: { icon: '–', cls: 'muted' },
};

export function phaseInfo(phase) {
  return PHASES[phase] || { icon: '?', cls: 'muted' };
}
