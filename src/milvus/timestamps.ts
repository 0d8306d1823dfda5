/**
 * Milvus hybrid timestamps (TSO): the physical part is Unix epoch milliseconds shifted left by 18
 * logical bits (pkg/util/tsoutil in milvus-io/milvus). DescribeSnapshot.create_ts is one of these:
 * DataCoord's GenSnapshot sets SnapshotInfo.CreateTs = int64(snapshotTs), the minimum channel
 * seek-position timestamp (internal/datacoord/handler.go), and the proxy passes it through.
 */
const LOGICAL_BITS = 18n;

/** Epoch milliseconds of a hybrid timestamp given as the SDK delivers int64 (a decimal string). */
export function hybridTsToEpochMs(ts: string | number | bigint | null | undefined): number {
  if (ts === null || ts === undefined || ts === '') return 0;
  return Number(BigInt(ts) >> LOGICAL_BITS);
}

/** The inverse, for building hybrid timestamps in tests and the stand-in. */
export function epochMsToHybridTs(ms: number): string {
  return (BigInt(Math.trunc(ms)) << LOGICAL_BITS).toString();
}
