import { newestLiveEntry, type ExportCandidate } from '../catalog/entries';
import { isScratchCollectionName } from '../contracts/drill';
import type { CollectionRef, MilvusGateway } from '../milvus/gateway';
import { globToRegExp } from '../policy/glob';
import { isVerifyScratchCollection } from './backup/count-rows';
import { catalogOf, queryCatalog } from './catalog';
import type { WorkerResources } from './worker-resources';

/** Every activity the fleet workflow uses itself (its children use their operations' own). */
export function createFleetActivities(gateway: MilvusGateway, resources: WorkerResources) {
  const defaultCluster = resources.clusters.defaultName;
  return {
    /**
     * The collections a fleet covers, in name order: those of the database matching the pattern,
     * never the scratch collections drills and restore counts make (they come and go mid-fleet).
     * `cluster` routes the call (see worker-resources.ts onClusterOfInput): the fleet lists where its children run.
     */
    async listFleetCollections(input: { cluster?: string; db: string; pattern: string }): Promise<string[]> {
      const re = globToRegExp(input.pattern);
      return (await gateway.listCollections(input.db))
        .filter((c) => re.test(c) && !isScratchCollectionName(c) && !isVerifyScratchCollection(c))
        .sort();
    },

    /** An export fleet's snapshot of one collection: only its name reaches the fleet's history, not the catalog. */
    async newestCatalogSnapshot(ref: CollectionRef & { cluster?: string }): Promise<ExportCandidate> {
      return newestLiveEntry(await queryCatalog(catalogOf(ref, defaultCluster)));
    },
  };
}
