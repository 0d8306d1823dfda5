import { MILVUS_NAME_MAX_LENGTH, milvusName } from '../milvus/names';

/**
 * Snapshot name templates: `{collection}`, `{db}` and date patterns such as `{yyyyMMdd_HHmmss}`
 * (tokens yyyy MM dd HH mm ss SSS, always UTC), e.g. the default `{collection}_{yyyyMMdd_HHmmss}`.
 * Pure, so the workflow can resolve a name from workflow time and replay gets the same name.
 */

export const DEFAULT_SNAPSHOT_NAME_TEMPLATE = '{collection}_{yyyyMMdd_HHmmss}';

const DATE_PATTERN = /^(?:yyyy|MM|dd|HH|mm|ss|SSS|[^A-Za-z{}])+$/;
const DATE_TOKENS = /yyyy|MM|dd|HH|mm|ss|SSS/g;

export interface TemplateContext {
  collection: string;
  db: string;
  /** The instant the name stands for (the workflow's time), rendered in UTC. */
  at: Date;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatUtc(pattern: string, at: Date): string {
  const parts: Record<string, string> = {
    yyyy: pad(at.getUTCFullYear(), 4),
    MM: pad(at.getUTCMonth() + 1, 2),
    dd: pad(at.getUTCDate(), 2),
    HH: pad(at.getUTCHours(), 2),
    mm: pad(at.getUTCMinutes(), 2),
    ss: pad(at.getUTCSeconds(), 2),
    SSS: pad(at.getUTCMilliseconds(), 3),
  };
  return pattern.replace(DATE_TOKENS, (token) => parts[token] ?? token);
}

function placeholder(name: string, ctx: TemplateContext): string {
  if (name === 'collection') return ctx.collection;
  if (name === 'db') return ctx.db;
  if (DATE_PATTERN.test(name)) return formatUtc(name, ctx.at);
  throw new Error(
    `unknown placeholder {${name}} in snapshot name template (use {collection}, {db} or a date pattern like {yyyyMMdd_HHmmss})`,
  );
}

/** Problems with a template, without a concrete time (for input validation); undefined when fine. */
export function templateProblem(template: string): string | undefined {
  try {
    resolveSnapshotName(template, { collection: 'c', db: 'd', at: new Date(0) });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The snapshot name for a template; throws when the template or the result is not a valid name. */
export function resolveSnapshotName(template: string, ctx: TemplateContext): string {
  if (Number.isNaN(ctx.at.getTime())) throw new Error('snapshot name template needs a valid time');
  const name = template.replace(/\{([^{}]*)\}/g, (_match, inner: string) => placeholder(inner, ctx));
  if (/[{}]/.test(name)) throw new Error(`unbalanced braces in snapshot name template "${template}"`);
  const checked = milvusName.safeParse(name);
  if (!checked.success) {
    const reason = checked.error.issues[0]?.message ?? 'invalid';
    throw new Error(
      `snapshot name template "${template}" gives "${name.slice(0, MILVUS_NAME_MAX_LENGTH + 10)}", which ${reason}`,
    );
  }
  return name;
}
