import type { CollectionRef, MilvusGateway } from '../../milvus/gateway';
import type { RestoreVerification } from '../../contracts/restore';

export interface VerifyRestoredInput {
  target: CollectionRef;
  expectedRowCount: number | null;
  expectedRowCountSource: RestoreVerification['expectedRowCountSource'];
  load: boolean;
  sampleSize: number;
}

/** A filter every row matches, on the primary key (Milvus needs some filter for a plain query). */
function matchAllFilter(pk: { name: string; dataType: string }): string {
  return pk.dataType === 'VarChar' ? `${pk.name} != ""` : `${pk.name} >= -9007199254740991`;
}

async function sampleQuery(
  gateway: MilvusGateway,
  target: CollectionRef,
  sampleSize: number,
  rowCount: number,
  problems: string[],
): Promise<number> {
  await gateway.loadCollection(target);
  const schema = await gateway.describeCollection(target);
  const pk = schema.fields.find((f) => f.isPrimaryKey);
  if (!pk) {
    problems.push('restored collection has no primary key field');
    return 0;
  }
  const fields = schema.fields.map((f) => f.name);
  const rows = await gateway.query(target, matchAllFilter(pk), fields, sampleSize);
  const want = Math.min(sampleSize, rowCount);
  if (rows.length !== want) problems.push(`sample query returned ${rows.length} rows, expected ${want}`);
  const incomplete = rows.filter((row) => fields.some((f) => row[f] === undefined || row[f] === null));
  if (incomplete.length > 0) problems.push(`${incomplete.length} sampled rows lack some fields`);
  return rows.length;
}

/**
 * Step 5 of a restore: the target holds as many rows as the snapshot (count(*), which also has to
 * agree with Milvus's statistics) and, optionally, loads and answers a sample query.
 */
export function createVerifyRestoredCollectionActivities(gateway: MilvusGateway) {
  return {
    async verifyRestoredCollection(input: VerifyRestoredInput): Promise<RestoreVerification> {
      const { target, expectedRowCount } = input;
      const problems: string[] = [];
      const statisticsRowCount = await gateway.statisticsRowCount(target);
      const rowCount = await gateway.countRows(target);
      if (expectedRowCount !== null && rowCount !== expectedRowCount) {
        problems.push(`row count ${rowCount} differs from the snapshot's ${expectedRowCount}`);
      }
      if (rowCount !== statisticsRowCount) {
        problems.push(`count(*) ${rowCount} differs from the statistics row count ${statisticsRowCount}`);
      }
      const sampleRows = input.load
        ? await sampleQuery(gateway, target, input.sampleSize, rowCount, problems)
        : undefined;
      return {
        rowCount,
        expectedRowCount,
        expectedRowCountSource: input.expectedRowCountSource,
        statisticsRowCount,
        sampleRows,
        passed: problems.length === 0,
        problems,
      };
    },
  };
}
