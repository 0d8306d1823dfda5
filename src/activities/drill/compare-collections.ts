import { heartbeat } from '../heartbeat';
import {
  compareRows,
  compareSchemas,
  indexRows,
  keysFilter,
  pickSampleKeys,
  seedFrom,
  type CollectionComparison,
  type SampleComparison,
} from '../../drill/compare';
import type { WorkerResources } from '../worker-resources';
import type { CollectionRef, MilvusGateway, Row } from '../../milvus/gateway';

/** A collection, optionally on another configured cluster than the activity's own. */
export type ClusterCollectionRef = CollectionRef & { cluster?: string };

export interface CompareCollectionsInput {
  /** The cluster-loss drill compares a scratch on the DR cluster with the source on the primary. */
  source: ClusterCollectionRef;
  scratch: ClusterCollectionRef;
  /** Row count the snapshot recorded (from its marker); null when unknown. */
  expectedRowCount: number | null;
  sampleSize: number;
  maxKeysScanned: number;
  /** Seeds the sample (the drill passes its workflow id), so retries compare the same keys. */
  seed: string;
}

/** Keys per `in [...]` query: keeps expressions and responses small. */
const BATCH = 256;

async function fetchRows(
  gateway: MilvusGateway,
  ref: CollectionRef,
  keyField: string,
  keyType: string,
  keys: string[],
  fields: string[],
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    rows.push(...(await gateway.query(ref, keysFilter(keyField, keyType, batch), fields, batch.length)));
    heartbeat({ collection: ref.collection, fetched: rows.length });
  }
  return rows;
}

/**
 * Verifies a restored scratch collection. The snapshot's rows cannot be read directly, so rows are
 * compared with the source collection — which holds the snapshot's rows as long as the source has
 * not changed since (checked by its row count; if it changed, the sample is skipped, not faked).
 */
export function createCompareCollectionsActivities(gateway: MilvusGateway, resources: WorkerResources) {
  const on = (ref: ClusterCollectionRef) => (ref.cluster ? resources.clusters.gateway(ref.cluster) : gateway);
  return {
    async compareScratchWithSource(input: CompareCollectionsInput): Promise<CollectionComparison> {
      const [source, scratch] = [on(input.source), on(input.scratch)];
      const [sourceSchema, scratchSchema] = await Promise.all([
        source.describeCollection(input.source),
        scratch.describeCollection(input.scratch),
      ]);
      const schema = compareSchemas(sourceSchema, scratchSchema);
      // The keep-alive repeats these details while each slow step (load, count, scan) runs.
      heartbeat({ step: 'load scratch' });
      await scratch.loadCollection(input.scratch);
      heartbeat({ step: 'count rows' });
      const [actual, sourceNow] = await Promise.all([
        scratch.countRows(input.scratch),
        source.countRows(input.source),
      ]);
      const expected = input.expectedRowCount;
      const rowCount = { expected, actual, sourceNow, equal: actual === (expected ?? sourceNow) };

      const pk = sourceSchema.fields.find((f) => f.isPrimaryKey);
      if (!pk) throw new Error(`collection ${input.source.collection} has no primary key field`);
      const fields = sourceSchema.fields.map((f) => f.name);
      const base = { keyField: pk.name, fields, keysScanned: 0, compared: 0, differing: [] };
      const sourceChanged = expected !== null && sourceNow !== expected;
      if (sourceChanged) {
        const skippedReason = `the source now has ${sourceNow} rows, the snapshot recorded ${expected}: it changed since, so its rows are no reference`;
        const sample: SampleComparison = { status: 'skipped', skippedReason, ...base };
        return { equal: schema.equal && rowCount.equal, schema, rowCount, sample };
      }

      heartbeat({ step: 'scan keys' });
      const scanned = await source.query(input.source, '', [pk.name], input.maxKeysScanned);
      const keys = pickSampleKeys(
        scanned.map((r) => String(r[pk.name])),
        input.sampleSize,
        seedFrom(input.seed),
      );
      const [sourceRows, scratchRows] = [
        await fetchRows(source, input.source, pk.name, pk.dataType, keys, fields),
        await fetchRows(scratch, input.scratch, pk.name, pk.dataType, keys, fields),
      ];
      const differing = compareRows(
        keys,
        fields,
        indexRows(sourceRows, pk.name),
        indexRows(scratchRows, pk.name),
      );
      const sample: SampleComparison = {
        ...base,
        status: 'compared',
        keysScanned: scanned.length,
        compared: keys.length,
        differing,
      };
      return { equal: schema.equal && rowCount.equal && differing.length === 0, schema, rowCount, sample };
    },
  };
}
