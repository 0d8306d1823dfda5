/**
 * Snapshots need Milvus 3.0: older servers answer every snapshot RPC with gRPC UNIMPLEMENTED, which
 * the SDK turns into an empty response. The gateway asks GetVersion once before its first snapshot
 * call and refuses with one line naming both versions instead.
 */
export const SNAPSHOT_MIN_MAJOR = 3;

/** Major version of a Milvus version string ("v2.3.5", "2.6.0-rc1", "v3.0.0-standin"), if it has one. */
export function majorVersion(version: string): number | undefined {
  const match = /^v?(\d+)\.\d+/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * Why this server cannot take snapshot calls, or undefined when it can. A version that does not
 * parse (a custom build) is given the benefit of the doubt: its own answers will tell.
 */
export function snapshotVersionProblem(version: string, address: string): string | undefined {
  const major = majorVersion(version);
  if (major === undefined || major >= SNAPSHOT_MIN_MAJOR) return undefined;
  return `Milvus at ${address} is ${version}; snapshots need Milvus ${SNAPSHOT_MIN_MAJOR}.0 or later`;
}
