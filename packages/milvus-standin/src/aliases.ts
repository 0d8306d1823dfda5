/**
 * Collection aliases and RenameCollection (internal/rootcoord/meta_table.go CreateAlias /
 * AlterAlias / DropAlias / DescribeAlias / ListAliases / RenameCollection, read not copied):
 * - an alias names one collection of its database; a collection can have several;
 * - an alias may not equal a collection name (merr.ErrAliasCollectionNameConfilct 1601);
 * - creating an existing alias of the same collection succeeds, of another collection fails with
 *   ErrAliasAlreadyExist 1602; Alter/Describe of an unknown alias fail with ErrAliasNotFound 1600;
 * - an alias must point at a real collection name (not another alias): else collection not found;
 * - ListAliases by name takes only real collection names;
 * - RenameCollection refuses a new name taken by a collection or alias (fmt.Errorf, code 65535);
 * - a new collection (or restore target) named like an alias: 65535 (validateIfCollectionExists).
 */
import type { Engine } from './engine';
import { MilvusCode, reasons } from './milvus-codes';
import type { AliasState } from './model';
import { MilvusFailure } from './rows';
import { checkName } from './names';

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

type Req = Record<string, any>;
interface Ctx {
  metadataDb: string | undefined;
}

function aliasesOf(engine: Engine): AliasState[] {
  engine.state.aliases ??= [];
  return engine.state.aliases;
}

export function aliasHandlers(engine: Engine) {
  const db = (req: Req, ctx: Ctx) => engine.resolveDb(str(req.db_name) || ctx.metadataDb || undefined);
  const find = (dbName: string, alias: string) =>
    aliasesOf(engine).find((a) => a.db === dbName && a.alias === alias);
  const notFound = (dbName: string, alias: string) =>
    new MilvusFailure(MilvusCode.AliasNotFound, `alias not found[database=${dbName}][alias=${alias}]`);

  /** Validation shared by create and alter: the alias is a valid name and no collection is called so. */
  const checkAlias = (dbName: string, alias: string) => {
    checkName('alias', alias);
    if (engine.findCollection(dbName, alias)) {
      throw new MilvusFailure(
        MilvusCode.AliasCollectionNameConflict,
        `alias and collection name conflict[database=${dbName}][alias=${alias}]`,
      );
    }
  };
  /** The alias's target must be a real collection, never another alias (CreateAlias names the db). */
  const target = (dbName: string, name: string, withDb: boolean) => {
    const coll = engine.findCollection(dbName, name);
    if (!coll) {
      throw new MilvusFailure(
        MilvusCode.CollectionNotFound,
        withDb
          ? `collection not found[database=${dbName}][collection=${name}]`
          : reasons.collectionNotFound(name),
      );
    }
    return coll;
  };

  return {
    CreateAlias: (req: Req, ctx: Ctx) => {
      const dbName = db(req, ctx);
      const alias = str(req.alias);
      checkAlias(dbName, alias);
      const coll = target(dbName, str(req.collection_name), true);
      const existing = find(dbName, alias);
      if (existing) {
        if (existing.collectionId === coll.id) return;
        const other = engine.state.collections.find((c) => c.id === existing.collectionId)?.name ?? '';
        throw new MilvusFailure(
          MilvusCode.AliasAlreadyExist,
          `${alias} is alias to another collection: ${other}: alias already exist[database=${dbName}][alias=${alias}]`,
        );
      }
      aliasesOf(engine).push({ db: dbName, alias, collectionId: coll.id });
      engine.persist();
    },
    DropAlias: (req: Req, ctx: Ctx) => {
      const dbName = db(req, ctx);
      const alias = str(req.alias);
      checkName('alias', alias);
      engine.state.aliases = aliasesOf(engine).filter((a) => !(a.db === dbName && a.alias === alias));
      engine.persist();
    },
    AlterAlias: (req: Req, ctx: Ctx) => {
      const dbName = db(req, ctx);
      const alias = str(req.alias);
      checkAlias(dbName, alias);
      const coll = target(dbName, str(req.collection_name), false);
      const existing = find(dbName, alias);
      if (!existing) throw notFound(dbName, alias);
      existing.collectionId = coll.id;
      engine.persist();
    },
    DescribeAlias: (req: Req, ctx: Ctx) => {
      const dbName = db(req, ctx);
      const alias = str(req.alias);
      checkName('alias', alias);
      const existing = find(dbName, alias);
      const coll = existing && engine.state.collections.find((c) => c.id === existing.collectionId);
      if (!existing || !coll) throw notFound(dbName, alias);
      return { db_name: dbName, alias, collection: coll.name };
    },
    ListAliases: (req: Req, ctx: Ctx) => {
      const dbName = db(req, ctx);
      const name = str(req.collection_name);
      const coll = name ? target(dbName, name, false) : undefined;
      const aliases = aliasesOf(engine)
        .filter((a) => a.db === dbName && (!coll || a.collectionId === coll.id))
        .map((a) => a.alias);
      return { db_name: dbName, collection_name: name, aliases };
    },
    // meta_table RenameCollection: the new name must be free (no collection, no alias); aliases follow the id.
    RenameCollection: (req: Req, ctx: Ctx) => {
      const dbName = db(req, ctx);
      const newDbName = str(req.newDBName) || dbName;
      if (!engine.state.databases.some((d) => d.name === newDbName)) {
        throw new MilvusFailure(MilvusCode.Unexpected, `target database:${newDbName} not found`);
      }
      const newName = str(req.newName);
      checkName('collection', newName);
      if (engine.findCollection(newDbName, newName) || engine.findByAlias(newDbName, newName)) {
        throw new MilvusFailure(
          MilvusCode.Unexpected,
          `duplicated new collection name ${newDbName}:${newName} with other collection name or alias`,
        );
      }
      const coll = engine.collection(dbName, str(req.oldName));
      const newDb = newDbName;
      coll.name = newName;
      coll.db = newDb;
      coll.schema.name = newName;
      engine.persist();
    },
  };
}
