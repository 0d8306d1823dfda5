import { ApplicationFailure } from '@temporalio/common';
import type { CatalogEntry } from '../../contracts/catalog';
import { FailureType } from '../../contracts/failures';
import type { CollectionRef, MilvusGateway } from '../../milvus/gateway';
import { chooseRecovery } from '../../catalog/choose-recovery';
import { queryCatalog } from '../catalog/catalog-client';

export interface CheckRecoveryInput extends CollectionRef {
  /** The collection to recover into (the old name, or `as`). */
  target: string;
  /** A catalog entry by name; default the newest protected one. */
  snapshot?: string;
}

function stillExists(ref: CollectionRef, why: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `Recovery refused: collection ${ref.db}.${ref.collection} exists; ${why} Nothing was started.`,
    FailureType.CollectionStillExists,
  );
}

/**
 * Before anything is started: the collection must be gone (and the target free), and the catalog
 * must hold a snapshot whose protection pin still holds. Refusals name the reason.
 */
export function createCheckRecoveryActivities(gateway: MilvusGateway) {
  return {
    async checkRecovery(input: CheckRecoveryInput): Promise<CatalogEntry> {
      const source: CollectionRef = { db: input.db, collection: input.collection };
      if (await gateway.hasCollection(source)) {
        throw stillExists(
          source,
          'recovery recreates a dropped collection only (to go back to one of its snapshots, restore it into a new collection).',
        );
      }
      const target: CollectionRef = { db: input.db, collection: input.target };
      if (input.target !== input.collection && (await gateway.hasCollection(target))) {
        throw stillExists(target, 'recover under another name.');
      }
      const choice = chooseRecovery(await queryCatalog(source), Date.now(), input.snapshot);
      if (!choice.ok)
        throw ApplicationFailure.nonRetryable(`Recovery refused: ${choice.reason}.`, choice.type);
      return choice.entry;
    },
  };
}
