import { formatDuration } from '../../drill/report';

/** Small formatters shared by the human renderings. */

export { formatDuration };

/** `2026-11-30 02:00:00` (UTC): a table cell, sortable and short. */
export function formatTime(at: number | string | Date | undefined): string {
  if (at === undefined) return '-';
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? '-' : date.toISOString().replace('T', ' ').slice(0, 19);
}

/** 1234567 → "1,234,567"; null/undefined → "-". */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '-' : n.toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
