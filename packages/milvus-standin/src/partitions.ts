/**
 * Partitions (internal/proxy/task.go createPartitionTask / dropPartitionTask / showPartitionsTask,
 * internal/rootcoord create_partition_task.go / drop_partition_task.go, read not copied):
 * - every collection has `_default`; names follow the proxy's validatePartitionTag;
 * - creating an existing partition succeeds (rootcoord createPartitionTask returns early);
 * - `_default` cannot be dropped; a loaded partition cannot be dropped; its rows go with it;
 * - an unknown partition in insert/query/search/delete is merr.ErrPartitionNotFound (200).
 * Rows remember their partition under a key no field name can have ('#' is not allowed in names).
 */
import { MilvusCode, reasons } from './milvus-codes';
import type { CollectionState, PartitionState, Row, SchemaDef } from './model';
import { MilvusFailure } from './rows';

export const DEFAULT_PARTITION = '_default';
export const PARTITION_KEY = '#partition';
const DEFAULT_PARTITIONS_WITH_KEY = 16;

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

/** The collection's partitions; state written before partitions existed has only `_default`. */
export function partitionsOf(coll: CollectionState): PartitionState[] {
  coll.partitions ??= [
    {
      id: `${coll.id}0`,
      name: DEFAULT_PARTITION,
      createdTs: coll.createdTs,
      createdUtcMs: coll.createdUtcMs,
    },
  ];
  return coll.partitions;
}

export function partitionOf(row: Row): string {
  return typeof row[PARTITION_KEY] === 'string' ? (row[PARTITION_KEY] as string) : DEFAULT_PARTITION;
}

/** merr.WrapErrPartitionNotFound. */
export function requirePartition(coll: CollectionState, name: string): PartitionState {
  const found = partitionsOf(coll).find((p) => p.name === name);
  if (!found) throw new MilvusFailure(MilvusCode.PartitionNotFound, reasons.partitionNotFound(name));
  return found;
}

/** A row predicate for `partition_names` of query/search/delete; empty = every partition. */
export function inPartitions(coll: CollectionState, names: string[]): (row: Row) => boolean {
  const wanted = names.filter((n) => n !== '');
  wanted.forEach((n) => requirePartition(coll, n));
  if (wanted.length === 0) return () => true;
  return (row) => wanted.includes(partitionOf(row));
}

/**
 * rootcoord create_collection_task.go assignPartitionIDs: `_default`, or with a partition key
 * `_default_0` … `_default_{n-1}` (n = num_partitions, default common.DefaultPartitionsWithPartitionKey 16).
 */
export function initialPartitions(schema: SchemaDef, numPartitions: number): string[] {
  if (!schema.fields.some((f) => f.is_partition_key)) return [DEFAULT_PARTITION];
  const n = numPartitions > 0 ? numPartitions : DEFAULT_PARTITIONS_WITH_KEY;
  return Array.from({ length: n }, (_, i) => `${DEFAULT_PARTITION}_${i}`);
}

/**
 * Puts inserted rows in their partition: the named one, or with a partition key the key's hash
 * bucket (Milvus hashes with murmur3; the stand-in's hash differs, only the spread is alike).
 * Naming a partition of a partition-key collection is refused as the proxy does (insertTask.PreExecute).
 */
export function routeRows(coll: CollectionState, rows: Row[], partition: string): void {
  const key = coll.schema.fields.find((f) => f.is_partition_key);
  if (key && partition) {
    throw invalid('not support manually specifying the partition names if partition key mode is used');
  }
  const parts = partitionsOf(coll);
  rows.forEach((row) => {
    const target = key
      ? (parts[bucket(row[key.name], parts.length)] as PartitionState).name
      : requirePartition(coll, partition || DEFAULT_PARTITION).name;
    if (target !== DEFAULT_PARTITION) row[PARTITION_KEY] = target;
  });
}

function bucket(value: unknown, n: number): number {
  const text = String(value ?? '');
  if (/^-?\d+$/.test(text)) return Number(((BigInt(text) % BigInt(n)) + BigInt(n)) % BigInt(n));
  let h = 0;
  for (const ch of text) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h % n;
}

export function newPartition(name: string, id: string, createdTs: string): PartitionState {
  return { id, name, createdTs, createdUtcMs: Date.now() };
}
