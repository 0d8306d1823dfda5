/**
 * DropDatabase, DescribeDatabase and AllocTimestamp (internal/proxy/impl.go DropDatabase /
 * DescribeDatabase / AllocTimestamp,
 * internal/rootcoord drop_db_task.go, read not copied):
 * - `default` cannot be dropped; a database that still holds collections cannot be dropped
 *   (rootcoord meta_table.go DropDatabase, plain errors: code 65535);
 * - dropping a database that does not exist succeeds (the rootcoord task is idempotent);
 * - AllocTimestamp hands out a hybrid TSO timestamp (pymilvus waits for index builds with it).
 */
import { DEFAULT_DB, type Engine } from './engine';
import { MilvusCode, reasons } from './milvus-codes';
import { MilvusFailure } from './rows';

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

export function databaseHandlers(engine: Engine) {
  return {
    DropDatabase: (req: Record<string, unknown>) => {
      const name = str(req.db_name);
      if (name === '') throw invalid('database name should be not empty');
      // rootcoord meta_table.go DropDatabase (errors.New: code 65535)
      if (name === DEFAULT_DB)
        throw new MilvusFailure(MilvusCode.Unexpected, 'can not drop default database');
      if (!engine.state.databases.some((d) => d.name === name)) return;
      if (engine.state.collections.some((c) => c.db === name)) {
        throw new MilvusFailure(
          MilvusCode.Unexpected,
          `database:${name} not empty, must drop all collections before drop database`,
        );
      }
      engine.state.databases = engine.state.databases.filter((d) => d.name !== name);
      engine.state.aliases = (engine.state.aliases ?? []).filter((a) => a.db !== name);
      engine.persist();
    },
    // proxy DescribeDatabase (pymilvus using_database calls it): a missing database is 800.
    DescribeDatabase: (req: Record<string, unknown>) => {
      const name = engine.resolveDb(str(req.db_name) || undefined);
      const db = engine.state.databases.find((d) => d.name === name);
      return { db_name: name, dbID: db?.id ?? '0', created_timestamp: db?.createdTs ?? '0', properties: [] };
    },
    AllocTimestamp: () => ({ timestamp: engine.tso.next().toString() }),
  };
}
