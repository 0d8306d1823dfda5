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
