import type { CatalogChange, CatalogEntry, CatalogState } from '../contracts/catalog';
import { newestFirst } from '../policy/plan-retention';

/** Entries of dropped snapshots kept for the record, beyond which the oldest are forgotten. */
const DROPPED_KEPT = 100;

export function emptyCatalog(db: string, collection: string): CatalogState {
  return { db, collection, entries: [], changes: 0 };
}

/** Entries in snapshot order, newest first (policy's newestFirst: create_ts, then the later name). */
function newestEntryFirst(a: CatalogEntry, b: CatalogEntry): number {
  return newestFirst({ createTs: a.createTs, name: a.snapshot }, { createTs: b.createTs, name: b.snapshot });
}

function withEntry(state: CatalogState, snapshot: string, update: (e: CatalogEntry) => CatalogEntry): void {
  const i = state.entries.findIndex((e) => e.snapshot === snapshot);
  if (i >= 0) state.entries[i] = update(state.entries[i]);
}

function forgetOldDropped(state: CatalogState): void {
  const dropped = state.entries.filter((e) => e.droppedAt !== undefined);
  if (dropped.length <= DROPPED_KEPT) return;
  const forget = new Set(dropped.slice(DROPPED_KEPT).map((e) => e.snapshot));
  state.entries = state.entries.filter((e) => !forget.has(e.snapshot));
}

/**
 * Applies one change in place. Every change sets a value, so a change delivered twice (an
 * activity retried after its signal got through) leaves the same catalog as once.
 */
export function applyCatalogChange(state: CatalogState, change: CatalogChange): void {
  state.changes += 1;
  switch (change.kind) {
    case 'verified': {
      const i = state.entries.findIndex((e) => e.snapshot === change.entry.snapshot);
      if (i < 0) state.entries.push(change.entry);
      else {
        // A re-verified snapshot (ifExists 'reuse') keeps the pin and export recorded for it.
        const { pin, export: exported } = state.entries[i];
        state.entries[i] = {
          ...change.entry,
          ...(pin ? { pin } : {}),
          ...(exported ? { export: exported } : {}),
        };
      }
      state.entries.sort(newestEntryFirst);
      break;
    }
    case 'pinned':
      withEntry(state, change.snapshot, (e) => ({ ...e, pin: change.pin }));
      break;
    case 'unpinned':
      withEntry(state, change.snapshot, (e) => {
        if (e.pin?.id !== change.pinId) return e; // a renewal replaced it already
        const { pin: _released, ...rest } = e;
        return rest;
      });
      break;
    case 'dropped':
      withEntry(state, change.snapshot, (e) => ({ ...e, droppedAt: e.droppedAt ?? change.at }));
      forgetOldDropped(state);
      break;
    case 'exported':
      withEntry(state, change.snapshot, (e) => ({ ...e, export: change.export }));
      break;
    case 'protection':
      state.protection = change.policy;
      break;
  }
}
