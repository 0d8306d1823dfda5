import type { CatalogCloseResult, CatalogState } from '../contracts/catalog';
import { pinHolds } from './entries';

/** What closing the catalog at `now` would leave without a record (pure: the workflow runs it). */
export function whatCloseLeaves(
  state: CatalogState,
  now: number,
): Pick<CatalogCloseResult, 'livePins' | 'bundles'> {
  return {
    livePins: state.entries
      .filter((e) => pinHolds(e, now))
      .map((e) => ({ snapshot: e.snapshot, pinId: e.pin!.id, expiresAt: e.pin!.expiresAt })),
    bundles: state.entries
      .filter((e) => e.export !== undefined)
      .map((e) => ({ snapshot: e.snapshot, metadataUri: e.export!.metadataUri })),
  };
}

/** Why an unforced close is refused, or undefined when the catalog records nothing still needed. */
export function closeRefusal(state: CatalogState, now: number): string | undefined {
  const { livePins, bundles } = whatCloseLeaves(state, now);
  if (livePins.length === 0 && bundles.length === 0) return undefined;
  const parts = [
    ...(livePins.length ? [`pins that still hold on ${livePins.map((p) => p.snapshot).join(', ')}`] : []),
    ...(bundles.length ? [`off-site bundles of ${bundles.map((b) => b.snapshot).join(', ')}`] : []),
  ];
  return `the catalog of ${state.db}.${state.collection} records ${parts.join(' and ')}: release the pins (or let them expire) first, or close with force (their records are then gone)`;
}
