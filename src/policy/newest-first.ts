/**
 * Snapshot order, newest first, by create_ts. create_ts is the minimum channel checkpoint when the
 * snapshot was taken (internal/datacoord/handler.go GenSnapshot), so snapshots taken with no flush
 * between them share it; then the later name counts as newer (names from the name template sort by
 * when they were taken), and the order never depends on Milvus's listing order.
 */
export function newestFirst(
  a: { createTs: number; name: string },
  b: { createTs: number; name: string },
): number {
  return b.createTs - a.createTs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0);
}
