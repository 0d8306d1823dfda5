/** Whole-state JSON file in the data dir, replaced atomically so a crash never leaves half a file. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StandinState } from './model';

const FILE_NAME = 'milvus-standin.json';

export interface Persistence {
  load(): StandinState | undefined;
  save(state: StandinState): void;
}

export function filePersistence(dataDir: string): Persistence {
  const file = path.join(dataDir, FILE_NAME);
  return {
    load() {
      if (!fs.existsSync(file)) return undefined;
      return JSON.parse(fs.readFileSync(file, 'utf8')) as StandinState;
    },
    save(state) {
      fs.mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(state));
      fs.renameSync(tmp, file);
    },
  };
}

export const memoryPersistence: Persistence = {
  load: () => undefined,
  save: () => undefined,
};
