/** Conversions between Milvus's wire shapes (CollectionSchema, columnar FieldData) and stored rows. */
import type { FieldDef, KeyValue, Row, SchemaDef } from './model';

/** Raised by handlers; the server turns it into a common.Status. */
export class MilvusFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    /** The deprecated error_code, when Milvus sets one other than merr's oldCode(code). */
    readonly legacyCode?: string,
  ) {
    super(reason);
  }
}

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asStr = (v: unknown, fallback = ''): string => (v === undefined || v === null ? fallback : String(v));

function keyValues(v: unknown): KeyValue[] {
  return asArr(v).map((kv) => ({ key: asStr(asObj(kv).key), value: asStr(asObj(kv).value) }));
}

const SCALAR_KEYS: Record<string, string> = {
  Bool: 'bool_data',
  Int8: 'int_data',
  Int16: 'int_data',
  Int32: 'int_data',
  Int64: 'long_data',
  Float: 'float_data',
  Double: 'double_data',
  String: 'string_data',
  VarChar: 'string_data',
  Text: 'string_data',
  JSON: 'json_data',
};

const VECTOR_TYPES = new Set(['FloatVector', 'BinaryVector']);

export function isVectorType(dataType: string): boolean {
  return dataType.endsWith('Vector');
}

export function typeParam(field: FieldDef, key: string): string | undefined {
  return field.type_params.find((kv) => kv.key === key)?.value;
}

export function dimOf(field: FieldDef): number {
  return Number(typeParam(field, 'dim') ?? 0);
}

/** From a decoded CollectionSchema (CreateCollection) to the stored schema, assigning field ids from 100 as Milvus does. */
export function schemaFromProto(proto: Obj, collectionName: string): SchemaDef {
  const fields = asArr(proto.fields).map((raw, index): FieldDef => {
    const f = asObj(raw);
    return {
      fieldID: String(100 + index),
      name: asStr(f.name),
      description: asStr(f.description),
      data_type: asStr(f.data_type, 'None'),
      element_type: asStr(f.element_type, 'None'),
      is_primary_key: f.is_primary_key === true,
      autoID: f.autoID === true,
      nullable: f.nullable === true,
      is_partition_key: f.is_partition_key === true,
      is_clustering_key: f.is_clustering_key === true,
      type_params: keyValues(f.type_params),
      index_params: keyValues(f.index_params),
    };
  });
  return {
    name: asStr(proto.name) || collectionName,
    description: asStr(proto.description),
    autoID: fields.some((f) => f.is_primary_key && f.autoID),
    enable_dynamic_field: proto.enable_dynamic_field === true,
    fields,
    properties: keyValues(proto.properties),
  };
}

/** Rejects schemas Milvus would reject, with Milvus's wording where it matters. */
export function validateSchema(schema: SchemaDef): string | null {
  const pks = schema.fields.filter((f) => f.is_primary_key);
  if (pks.length !== 1) return 'there should be one and only one primary key in collection schema';
  const pk = pks[0] as FieldDef;
  if (pk.data_type !== 'Int64' && pk.data_type !== 'VarChar')
    return 'the data type of primary key should be Int64 or VarChar';
  if (!schema.fields.some((f) => isVectorType(f.data_type))) return 'schema does not contain vector field';
  const unsupported = schema.fields.find((f) => !SCALAR_KEYS[f.data_type] && !VECTOR_TYPES.has(f.data_type));
  if (unsupported)
    return `data type ${unsupported.data_type} of field ${unsupported.name} is not supported by the Milvus stand-in`;
  const names = new Set<string>();
  for (const f of schema.fields) {
    if (names.has(f.name)) return `duplicated field name ${f.name} found`;
    names.add(f.name);
    if (isVectorType(f.data_type) && !(dimOf(f) > 0))
      return `dimension is not defined in field type params of field ${f.name}`;
  }
  return null;
}

export function schemaToProto(schema: SchemaDef): Obj {
  return {
    name: schema.name,
    description: schema.description,
    autoID: schema.autoID,
    enable_dynamic_field: schema.enable_dynamic_field,
    properties: schema.properties,
    fields: schema.fields.map((f) => ({
      fieldID: f.fieldID,
      name: f.name,
      is_primary_key: f.is_primary_key,
      description: f.description,
      data_type: f.data_type,
      type_params: f.type_params,
      index_params: f.index_params,
      autoID: f.autoID,
      state: 'FieldCreated',
      element_type: f.element_type,
      nullable: f.nullable,
      is_partition_key: f.is_partition_key,
      is_clustering_key: f.is_clustering_key,
    })),
  };
}

export function primaryField(schema: SchemaDef): FieldDef {
  return schema.fields.find((f) => f.is_primary_key) as FieldDef;
}

/** Values of one FieldData column, expanded to one entry per row (null where valid_data says absent). */
function columnValues(fd: Obj, field: FieldDef, numRows: number): unknown[] {
  if (isVectorType(field.data_type)) return vectorColumn(fd, field, numRows);
  const scalars = asObj(fd.scalars);
  const key = asStr(scalars.data) || SCALAR_KEYS[field.data_type] || '';
  let values = asArr(asObj(scalars[key]).data);
  if (key === 'json_data') values = values.map((b) => decodeJson(b, field.name));
  if (field.data_type === 'Int64') values = values.map((v) => asStr(v));
  const valid = asArr(fd.valid_data);
  if (valid.length === numRows && values.length < numRows) {
    let next = 0;
    values = valid.map((ok) => (ok ? values[next++] : null));
  }
  return values;
}

function decodeJson(raw: unknown, fieldName: string): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : asStr(raw);
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new MilvusFailure(1100, `invalid JSON in field ${fieldName}: invalid parameter`);
  }
}

function vectorColumn(fd: Obj, field: FieldDef, numRows: number): unknown[] {
  const vectors = asObj(fd.vectors);
  const dim = dimOf(field);
  if (field.data_type === 'FloatVector') {
    const flat = asArr(asObj(vectors.float_vector).data).map(Number);
    if (flat.length !== dim * numRows) {
      throw new MilvusFailure(
        1100,
        `the dim (${numRows > 0 ? flat.length / numRows : 0}) of field data(${field.name}) is not equal to schema dim (${dim}): invalid parameter`,
      );
    }
    return Array.from({ length: numRows }, (_, i) => flat.slice(i * dim, (i + 1) * dim));
  }
  const bytes = Buffer.from((vectors.binary_vector as Buffer | undefined) ?? []);
  const width = dim / 8;
  return Array.from({ length: numRows }, (_, i) => Array.from(bytes.subarray(i * width, (i + 1) * width)));
}

/** Columnar insert payload → rows; `allocateId` fills an autoID primary key. */
export function rowsFromFieldData(
  schema: SchemaDef,
  fieldsData: unknown[],
  numRows: number,
  allocateId: () => string,
): Row[] {
  const byName = new Map(fieldsData.map((fd) => [asStr(asObj(fd).field_name), asObj(fd)]));
  const rows: Row[] = Array.from({ length: numRows }, () => ({}));
  for (const field of schema.fields) {
    const fd = byName.get(field.name);
    if (!fd) {
      if (field.is_primary_key && field.autoID) {
        rows.forEach((row) => (row[field.name] = allocateId()));
        continue;
      }
      if (field.nullable) {
        rows.forEach((row) => (row[field.name] = null));
        continue;
      }
      throw new MilvusFailure(
        1100,
        `fieldSchema(${field.name}) has no corresponding fieldData pass in: invalid parameter`,
      );
    }
    const values = columnValues(fd, field, numRows);
    if (values.length !== numRows) {
      throw new MilvusFailure(
        1100,
        `the num_rows (${values.length}) of field (${field.name}) is not equal to passed num_rows (${numRows}): invalid parameter`,
      );
    }
    values.forEach((v, i) => ((rows[i] as Row)[field.name] = v));
  }
  return rows;
}

/** Rows → columnar FieldData for the named output fields, encoded so the SDK decodes them. */
export function fieldDataFromRows(schema: SchemaDef, rows: Row[], outputFields: string[]): Obj[] {
  return outputFields.map((name) => {
    const field = schema.fields.find((f) => f.name === name) as FieldDef;
    const values = rows.map((r) => r[name]);
    const base = {
      type: field.data_type,
      field_name: field.name,
      field_id: field.fieldID,
      is_dynamic: false,
    };
    if (field.data_type === 'FloatVector') {
      return {
        ...base,
        vectors: { dim: String(dimOf(field)), float_vector: { data: values.flatMap((v) => v as number[]) } },
      };
    }
    if (field.data_type === 'BinaryVector') {
      return {
        ...base,
        vectors: {
          dim: String(dimOf(field)),
          binary_vector: Buffer.from(values.flatMap((v) => v as number[])),
        },
      };
    }
    const key = SCALAR_KEYS[field.data_type] as string;
    const nullable = field.nullable;
    const encoded = values.map((v) => encodeScalar(field.data_type, v));
    return {
      ...base,
      valid_data: nullable ? values.map((v) => v !== null && v !== undefined) : [],
      scalars: { [key]: { data: encoded } },
    };
  });
}

function encodeScalar(dataType: string, v: unknown): unknown {
  if (dataType === 'JSON') return Buffer.from(v === null || v === undefined ? '' : JSON.stringify(v), 'utf8');
  if (v === null || v === undefined) {
    return { Bool: false, VarChar: '', String: '', Text: '', Int64: '0' }[dataType] ?? 0;
  }
  return v;
}

/** `count(*)` result column. */
export function countFieldData(count: number): Obj {
  return {
    type: 'Int64',
    field_name: 'count(*)',
    field_id: '0',
    is_dynamic: false,
    valid_data: [],
    scalars: { long_data: { data: [String(count)] } },
  };
}
