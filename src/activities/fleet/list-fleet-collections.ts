import type { MilvusGateway } from '../../milvus/gateway';
import { globToRegExp } from '../../policy/glob';
import { isScratchCollectionName } from '../../contracts/drill';
import { isVerifyScratchCollection } from '../backup/count-snapshot-rows';

export function createListFleetCollectionsActivities(gateway: MilvusGateway) {
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
  };
}
