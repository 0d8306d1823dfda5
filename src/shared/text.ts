/** Text for people: one readable line for anything thrown, and plain text tables. */

/**
 * One readable line for anything thrown, never "[object Object]": the Milvus SDK throws plain
 * status objects (`{ reason, code, … }`) as well as Errors, and gRPC errors carry `details`.
 */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err !== 'object' || err === null) return String(err);
  const fields = err as Record<string, unknown>;
  const text = [fields.reason, fields.message, fields.details, fields.detail].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (text) return fields.code === undefined ? text : `${text} (code ${String(fields.code)})`;
  try {
    return JSON.stringify(err);
  } catch {
    return Object.prototype.toString.call(err);
  }
}

/** A plain text table: a header row, then one row per item; columns padded to their widest cell. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
