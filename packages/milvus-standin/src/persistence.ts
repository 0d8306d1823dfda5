/**
 * Persistence in the data dir: a state file plus an append-only journal, so a change costs what
 * changed, not the whole state (rewriting everything made load tests measure the stand-in).
 *
 * - `milvus-standin.json`: the state at the last compaction, written atomically (tmp + rename).
 *   Sealed segment rows are stored once each, by content hash, and referenced as {"$rows": id}.
 * - `milvus-standin.journal`: a header line naming the state file's generation, then one JSON line
 *   per save with what differs from the previous save: entities (items with an `id` in top-level
 *   arrays) put or deleted, array order, other top-level values, and new row blocks.
 *
 * The first save of a process compacts (state file rewritten, journal restarted), and so does a
 * journal grown bigger than the state file. Load replays the journal; a torn last line (a crash in
 * mid-write) is ignored, a journal of an older generation (a crash during compaction) too.
 * Writes are not fsynced: a process crash loses nothing, a machine crash may lose the last saves.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StandinState } from './model';

const STATE_FILE = 'milvus-standin.json';
const JOURNAL_FILE = 'milvus-standin.journal';
const FORMAT = 2;
/** Compact when the journal is bigger than the state file and at least this big. */
const COMPACT_MIN_BYTES = 4 * 1024 * 1024;

export interface Persistence {
  load(): StandinState | undefined;
  save(state: StandinState): void;
  close(): void;
}

type Json = Record<string, unknown>;
type Entity = Json & { id: string };

/** One journal line. Applied in this order: rows, set, unset, del, put, order. */
interface JournalRecord {
  rows?: Record<string, unknown[]>;
  set?: Json;
  unset?: string[];
  del?: [string, string][];
  put?: [string, Entity][];
  order?: Record<string, string[]>;
}

const isEntityList = (value: unknown): value is Entity[] =>
  Array.isArray(value) &&
  value.every((e) => typeof e === 'object' && e !== null && typeof (e as Json).id === 'string') &&
  new Set(value.map((e) => (e as Entity).id)).size === value.length;

/** A {"$rows": id} reference in place of a sealed segment's rows. */
const rowsRef = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && typeof (value as Json).$rows === 'string'
    ? ((value as Json).$rows as string)
    : undefined;

/** Replaces row references (values of `rows` keys) by the row blocks they name, in place. */
function resolveRows(value: unknown, blocks: Map<string, unknown[]>): unknown {
  if (Array.isArray(value)) {
    value.forEach((item, i) => (value[i] = resolveRows(item, blocks)));
  } else if (typeof value === 'object' && value !== null) {
    const obj = value as Json;
    for (const [key, child] of Object.entries(obj)) {
      const ref = key === 'rows' ? rowsRef(child) : undefined;
      if (ref === undefined) obj[key] = resolveRows(child, blocks);
      else {
        const rows = blocks.get(ref);
        if (!rows) throw new Error(`row block ${ref} is missing from the stand-in's data dir`);
        obj[key] = rows;
      }
    }
  }
  return value;
}

function applyRecord(state: Json, record: JournalRecord, blocks: Map<string, unknown[]>): void {
  for (const [id, rows] of Object.entries(record.rows ?? {})) blocks.set(id, rows);
  for (const [key, value] of Object.entries(record.set ?? {})) state[key] = resolveRows(value, blocks);
  for (const key of record.unset ?? []) delete state[key];
  for (const [key, id] of record.del ?? []) state[key] = (state[key] as Entity[]).filter((e) => e.id !== id);
  for (const [key, entity] of record.put ?? []) {
    const list = (state[key] ??= []) as Entity[];
    const resolved = resolveRows(entity, blocks) as Entity;
    const at = list.findIndex((e) => e.id === resolved.id);
    if (at >= 0) list[at] = resolved;
    else list.push(resolved);
  }
  for (const [key, ids] of Object.entries(record.order ?? {})) {
    const byId = new Map((state[key] as Entity[]).map((e) => [e.id, e]));
    state[key] = ids.map((id) => byId.get(id));
  }
}

export function filePersistence(dataDir: string): Persistence {
  return new JournalPersistence(dataDir);
}

class JournalPersistence implements Persistence {
  private readonly stateFile: string;
  private readonly journalFile: string;
  /** Row arrays already given an id; they are frozen then (sealed rows never change in place). */
  private readonly rowIds = new WeakMap<object, string>();
  /** Row blocks the state file or the journal already holds. */
  private stored = new Set<string>();
  /** Last written JSON per top-level value ("\u0001key") and per entity ("key\u0000id"). */
  private written = new Map<string, string>();
  /** Per top-level entity list, the ids in written order. */
  private order = new Map<string, string[]>();
  private generation = 0;
  private journalFd: number | undefined;
  private journalBytes = 0;
  private stateBytes = 0;

  constructor(private readonly dataDir: string) {
    this.stateFile = path.join(dataDir, STATE_FILE);
    this.journalFile = path.join(dataDir, JOURNAL_FILE);
  }

  load(): StandinState | undefined {
    if (!fs.existsSync(this.stateFile)) return undefined;
    const saved = JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as Json;
    // The state file of earlier versions is the plain state; the first save rewrites it.
    if (saved.format !== FORMAT) return saved as unknown as StandinState;
    this.generation = Number(saved.generation);
    const blocks = new Map(Object.entries(saved.rows as Record<string, unknown[]>));
    const state = resolveRows(saved.state, blocks) as Json;
    for (const record of this.journalRecords()) applyRecord(state, record, blocks);
    for (const [id, rows] of blocks) this.rowIds.set(Object.freeze(rows), id);
    return state as unknown as StandinState;
  }

  private journalRecords(): JournalRecord[] {
    if (!fs.existsSync(this.journalFile)) return [];
    const lines = fs.readFileSync(this.journalFile, 'utf8').split('\n');
    const header = JSON.parse(lines[0] ?? '{}') as { generation?: number };
    // A journal of an older generation was compacted into the state file already.
    if (header.generation !== this.generation) return [];
    const body = lines.slice(1);
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    return body.flatMap((line, i) => {
      try {
        return [JSON.parse(line) as JournalRecord];
      } catch (err) {
        if (i === body.length - 1) return []; // torn by a crash in mid-write: that save never finished
        throw new Error(`${this.journalFile}: line ${i + 2} is corrupt (${String(err)})`);
      }
    });
  }

  save(state: StandinState): void {
    if (this.journalFd === undefined) return this.compact(state);
    const line = this.changes(state as unknown as Json);
    fs.writeSync(this.journalFd, line);
    this.journalBytes += Buffer.byteLength(line);
    if (this.journalBytes > Math.max(COMPACT_MIN_BYTES, this.stateBytes)) this.compact(state);
  }

  close(): void {
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    this.journalFd = undefined;
  }

  /** JSON of a value with sealed rows replaced by references; new row blocks go into `blocks`. */
  private serialize(value: unknown, blocks: Map<string, string>, known: Set<string>): string {
    const rowIds = this.rowIds;
    return JSON.stringify(value, function (this: Json, key, child: unknown) {
      if (key !== 'rows' || !Array.isArray(child) || typeof this.id !== 'string') return child;
      let id = rowIds.get(child);
      let text: string | undefined;
      if (id === undefined) {
        text = JSON.stringify(child);
        id = createHash('sha256').update(text).digest('hex').slice(0, 32);
        rowIds.set(Object.freeze(child), id);
      }
      if (!known.has(id) && !blocks.has(id)) blocks.set(id, text ?? JSON.stringify(child));
      return { $rows: id };
    });
  }

  /** The journal line for what changed since the last save. */
  private changes(state: Json): string {
    const blocks = new Map<string, string>();
    const parts: Record<'set' | 'put' | 'del', string[]> = { set: [], put: [], del: [] };
    const order: Json = {};
    const unset: string[] = [];
    for (const [key, value] of Object.entries(state)) {
      const previousIds = this.order.get(key);
      if (previousIds && isEntityList(value)) {
        const ids = value.map((e) => e.id);
        const live = new Set(ids);
        for (const entity of value) {
          const json = this.serialize(entity, blocks, this.stored);
          const entityKey = `${key}\u0000${entity.id}`;
          if (this.written.get(entityKey) === json) continue;
          this.written.set(entityKey, json);
          parts.put.push(`[${JSON.stringify(key)},${json}]`);
        }
        for (const id of previousIds.filter((id) => !live.has(id))) {
          this.written.delete(`${key}\u0000${id}`);
          parts.del.push(JSON.stringify([key, id]));
        }
        const known = new Set(previousIds);
        const expected = [...previousIds.filter((id) => live.has(id)), ...ids.filter((id) => !known.has(id))];
        if (expected.some((id, i) => id !== ids[i])) order[key] = ids;
        this.order.set(key, ids);
      } else {
        // A plain value, or a list that changed shape: written whole, then tracked afresh.
        const json = this.track(key, value, blocks, this.stored);
        if (json !== undefined) parts.set.push(`${JSON.stringify(key)}:${json}`);
      }
    }
    const tracked = [...this.order.keys(), ...[...this.written.keys()].filter((k) => k.startsWith('\u0001'))];
    for (const key of tracked.map((k) => k.replace(/^\u0001/, '')).filter((k) => !(k in state))) {
      this.forget(key);
      this.written.delete(`\u0001${key}`);
      unset.push(key);
    }
    for (const blockId of blocks.keys()) this.stored.add(blockId);
    const fields = [
      blocks.size
        ? `"rows":{${[...blocks].map(([id, text]) => `${JSON.stringify(id)}:${text}`).join(',')}}`
        : '',
      parts.set.length ? `"set":{${parts.set.join(',')}}` : '',
      unset.length ? `"unset":${JSON.stringify(unset)}` : '',
      parts.del.length ? `"del":[${parts.del.join(',')}]` : '',
      parts.put.length ? `"put":[${parts.put.join(',')}]` : '',
      Object.keys(order).length ? `"order":${JSON.stringify(order)}` : '',
    ].filter(Boolean);
    return `{${fields.join(',')}}\n`;
  }

  /**
   * Records `value` as written under `key` (entity by entity for entity lists) and returns its JSON,
   * or undefined when a plain value is unchanged.
   */
  private track(
    key: string,
    value: unknown,
    blocks: Map<string, string>,
    known: Set<string>,
  ): string | undefined {
    this.forget(key);
    if (isEntityList(value)) {
      const jsons = value.map((entity) => {
        const json = this.serialize(entity, blocks, known);
        this.written.set(`${key}\u0000${entity.id}`, json);
        return json;
      });
      this.order.set(
        key,
        value.map((e) => e.id),
      );
      return `[${jsons.join(',')}]`;
    }
    const json = this.serialize(value, blocks, known);
    if (this.written.get(`\u0001${key}`) === json) return undefined;
    this.written.set(`\u0001${key}`, json);
    return json;
  }

  /** Drops what is tracked of `key` as an entity list. */
  private forget(key: string): void {
    const ids = this.order.get(key);
    if (!ids) return;
    for (const id of ids) this.written.delete(`${key}\u0000${id}`);
    this.order.delete(key);
  }

  /** Rewrites the state file from `state` (live row blocks only) and starts a fresh journal. */
  private compact(state: StandinState): void {
    this.close();
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.written = new Map();
    this.order = new Map();
    const blocks = new Map<string, string>();
    const fields = Object.entries(state).map(
      ([key, value]) => `${JSON.stringify(key)}:${this.track(key, value, blocks, new Set())}`,
    );
    this.generation += 1;
    const rows = [...blocks].map(([id, text]) => `${JSON.stringify(id)}:${text}`).join(',');
    const text = `{"format":${FORMAT},"generation":${this.generation},"rows":{${rows}},"state":{${fields.join(',')}}}`;
    writeAtomically(this.stateFile, text);
    this.stateBytes = Buffer.byteLength(text);
    this.stored = new Set(blocks.keys());
    const header = `${JSON.stringify({ generation: this.generation })}\n`;
    writeAtomically(this.journalFile, header);
    this.journalFd = fs.openSync(this.journalFile, 'a');
    this.journalBytes = Buffer.byteLength(header);
  }
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Changes the state persisted in `dataDir` while no stand-in runs on it (tests use it to age
 * snapshots): loads it, applies `change`, and writes it back compacted.
 */
export function editPersistedState(dataDir: string, change: (state: StandinState) => void): void {
  const persistence = filePersistence(dataDir);
  const state = persistence.load();
  if (!state) throw new Error(`no stand-in state in ${dataDir}`);
  change(state);
  persistence.save(state);
  persistence.close();
}

export const memoryPersistence: Persistence = {
  load: () => undefined,
  save: () => undefined,
  close: () => undefined,
};
