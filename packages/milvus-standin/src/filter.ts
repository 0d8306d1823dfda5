/**
 * A subset of Milvus boolean expressions (internal/parser/planparserv2/Plan.g4), enough for key
 * lookups and range checks: `f == v`, `!=`, `>`, `>=`, `<`, `<=`, `f in [..]`, `f not in [..]`,
 * `f like "pat%"`, `array_contains(f, v)`, `array_contains_all(f, [..])`, `array_contains_any(f, [..])`,
 * `and`/`&&`, `or`/`||`, `not`/`!`, parentheses; JSON paths `f["key"][0]`; a name outside the schema
 * is a dynamic key, looked up in `$meta` (parser_util.go, dynamic field fallback); literals are
 * integers, floats, quoted strings, true/false.
 */
import type { Row } from './model';

type Literal =
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean };

type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

/** A field, or a path into a JSON/dynamic field. */
interface FieldRef {
  name: string;
  path: (string | number)[];
}

type ContainsMode = 'one' | 'all' | 'any';

type Expr =
  | { kind: 'true' }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; literal: Literal }
  | { kind: 'in'; field: FieldRef; negate: boolean; literals: Literal[] }
  | { kind: 'like'; field: FieldRef; pattern: RegExp }
  | { kind: 'contains'; field: FieldRef; mode: ContainsMode; literals: Literal[] }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; inner: Expr };

type Token =
  | { t: 'ident'; v: string }
  | { t: 'num'; v: string }
  | { t: 'str'; v: string }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: string };

export class FilterParseError extends Error {}

const OPERATORS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = findStringEnd(text, i + 1, ch);
      tokens.push({ t: 'str', v: unescape(text.slice(i + 1, end)) });
      i = end + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (number && (ch !== '-' || !isValueToken(tokens[tokens.length - 1]))) {
      tokens.push({ t: 'num', v: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i));
    if (ident) {
      tokens.push({ t: 'ident', v: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    if ('()[],'.includes(ch)) {
      tokens.push({ t: 'punct', v: ch });
      i += 1;
      continue;
    }
    throw new FilterParseError(`unexpected character '${ch}' at ${i}`);
  }
  return tokens;
}

function isValueToken(token: Token | undefined): boolean {
  return (
    !!token &&
    (token.t === 'ident' ||
      token.t === 'num' ||
      token.t === 'str' ||
      (token.t === 'punct' && (token.v === ')' || token.v === ']')))
  );
}

function findStringEnd(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === quote) return i;
  }
  throw new FilterParseError('unterminated string literal');
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, '$1');
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    if (this.tokens.length === 0) return { kind: 'true' };
    const expr = this.parseOr();
    if (this.pos < this.tokens.length) throw new FilterParseError(`unexpected token '${this.peek()?.v}'`);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (!token) throw new FilterParseError('unexpected end of expression');
    this.pos += 1;
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token?.t === 'ident' && token.v.toLowerCase() === word;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword('or') || (this.peek()?.t === 'op' && this.peek()?.v === '||')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.isKeyword('and') || (this.peek()?.t === 'op' && this.peek()?.v === '&&')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isKeyword('not') || (this.peek()?.t === 'op' && this.peek()?.v === '!')) {
      this.next();
      return { kind: 'not', inner: this.parseUnary() };
    }
    const token = this.peek();
    if (token?.t === 'punct' && token.v === '(') {
      this.next();
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    return this.parsePredicate();
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token?.t === 'punct' && token.v === value;
  }

  private parsePredicate(): Expr {
    const fieldToken = this.next();
    if (fieldToken.t !== 'ident') throw new FilterParseError(`expected a field name, got '${fieldToken.v}'`);
    const mode = CONTAINS_FUNCTIONS[fieldToken.v.toLowerCase()];
    if (mode && this.isPunct('(')) {
      this.next();
      const field = this.parseFieldRef(this.next());
      this.expectPunct(',');
      const literals = mode === 'one' ? [this.parseLiteral()] : this.parseList();
      this.expectPunct(')');
      return { kind: 'contains', field, mode, literals };
    }
    const field = this.parseFieldRef(fieldToken);
    if (this.isKeyword('like')) {
      this.next();
      const pattern = this.parseLiteral();
      if (pattern.kind !== 'string') throw new FilterParseError('like needs a string pattern');
      return { kind: 'like', field, pattern: likePattern(pattern.value) };
    }
    if (this.isKeyword('in')) {
      this.next();
      return { kind: 'in', field, negate: false, literals: this.parseList() };
    }
    if (this.isKeyword('not')) {
      this.next();
      if (!this.isKeyword('in')) throw new FilterParseError("expected 'in' after 'not'");
      this.next();
      return { kind: 'in', field, negate: true, literals: this.parseList() };
    }
    const opToken = this.next();
    if (opToken.t !== 'op' || !['==', '!=', '>', '>=', '<', '<='].includes(opToken.v)) {
      throw new FilterParseError(`expected a comparison operator after '${field.name}'`);
    }
    return { kind: 'compare', field, op: opToken.v as CompareOp, literal: this.parseLiteral() };
  }

  /** `name` followed by any number of `["key"]` / `[0]` steps. */
  private parseFieldRef(token: Token): FieldRef {
    if (token.t !== 'ident') throw new FilterParseError(`expected a field name, got '${token.v}'`);
    const path: (string | number)[] = [];
    while (this.isPunct('[')) {
      this.next();
      const step = this.next();
      if (step.t === 'str') path.push(step.v);
      else if (step.t === 'num' && /^\d+$/.test(step.v)) path.push(Number(step.v));
      else throw new FilterParseError(`invalid json path step '${step.v}'`);
      this.expectPunct(']');
    }
    return { name: token.v, path };
  }

  private parseList(): Literal[] {
    this.expectPunct('[');
    const literals: Literal[] = [];
    while (!(this.peek()?.t === 'punct' && this.peek()?.v === ']')) {
      literals.push(this.parseLiteral());
      if (this.peek()?.t === 'punct' && this.peek()?.v === ',') this.next();
    }
    this.expectPunct(']');
    return literals;
  }

  private parseLiteral(): Literal {
    const token = this.next();
    if (token.t === 'str') return { kind: 'string', value: token.v };
    if (token.t === 'num') {
      return /^-?\d+$/.test(token.v)
        ? { kind: 'int', value: BigInt(token.v) }
        : { kind: 'float', value: Number(token.v) };
    }
    if (
      token.t === 'ident' &&
      (token.v === 'true' || token.v === 'false' || token.v === 'True' || token.v === 'False')
    ) {
      return { kind: 'bool', value: token.v.toLowerCase() === 'true' };
    }
    throw new FilterParseError(`expected a literal, got '${token.v}'`);
  }

  private expectPunct(value: string): void {
    const token = this.next();
    if (token.t !== 'punct' || token.v !== value)
      throw new FilterParseError(`expected '${value}', got '${token.v}'`);
  }
}

/** Three-way comparison of a stored value with a literal; null when they are not comparable. */
function compare(value: unknown, literal: Literal): number | null {
  if (value === null || value === undefined) return null;
  if (literal.kind === 'string') {
    if (typeof value !== 'string') return null;
    return value === literal.value ? 0 : value < literal.value ? -1 : 1;
  }
  if (literal.kind === 'bool')
    return typeof value === 'boolean' ? Number(value) - Number(literal.value) : null;
  if (
    literal.kind === 'int' &&
    (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))
  ) {
    if (typeof value === 'string' && !/^-?\d+$/.test(value)) return null;
    const v = BigInt(value);
    return v === literal.value ? 0 : v < literal.value ? -1 : 1;
  }
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) return null;
  const l = Number(literal.value);
  return n === l ? 0 : n < l ? -1 : 1;
}

const CONTAINS_FUNCTIONS: Record<string, ContainsMode> = {
  array_contains: 'one',
  array_contains_all: 'all',
  array_contains_any: 'any',
};

/** Milvus `like`: `%` is any run of characters, `_` one character, `\\` escapes (planparserv2 pattern match). */
function likePattern(text: string): RegExp {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length) {
      i += 1;
      out += (text[i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The value a field reference names; a name the row lacks is a dynamic key in `$meta`. */
function lookup(row: Row, ref: FieldRef): unknown {
  let value: unknown =
    ref.name in row ? row[ref.name] : (row['$meta'] as Record<string, unknown> | undefined)?.[ref.name];
  for (const step of ref.path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

function evaluate(expr: Expr, row: Row): boolean {
  switch (expr.kind) {
    case 'true':
      return true;
    case 'and':
      return evaluate(expr.left, row) && evaluate(expr.right, row);
    case 'or':
      return evaluate(expr.left, row) || evaluate(expr.right, row);
    case 'not':
      return !evaluate(expr.inner, row);
    case 'in': {
      const value = lookup(row, expr.field);
      const found = expr.literals.some((l) => compare(value, l) === 0);
      return expr.negate ? !found : found;
    }
    case 'like': {
      const value = lookup(row, expr.field);
      return typeof value === 'string' && expr.pattern.test(value);
    }
    case 'contains': {
      const value = lookup(row, expr.field);
      if (!Array.isArray(value)) return false;
      const has = (l: Literal) => value.some((v) => compare(v, l) === 0);
      return expr.mode === 'any' ? expr.literals.some(has) : expr.literals.every(has);
    }
    case 'compare': {
      const c = compare(lookup(row, expr.field), expr.literal);
      if (c === null) return false;
      return { '==': c === 0, '!=': c !== 0, '>': c > 0, '>=': c >= 0, '<': c < 0, '<=': c <= 0 }[expr.op];
    }
  }
}

function fieldsOf(expr: Expr, out: Set<string>): Set<string> {
  if (expr.kind === 'compare' || expr.kind === 'in' || expr.kind === 'like' || expr.kind === 'contains')
    out.add(expr.field.name);
  if (expr.kind === 'and' || expr.kind === 'or') {
    fieldsOf(expr.left, out);
    fieldsOf(expr.right, out);
  }
  if (expr.kind === 'not') fieldsOf(expr.inner, out);
  return out;
}

export interface CompiledFilter {
  fields: Set<string>;
  matches(row: Row): boolean;
}

/** Parses once; throws FilterParseError on text Milvus would reject. */
export function compileFilter(text: string): CompiledFilter {
  const expr = new Parser(tokenize(text.trim())).parse();
  return { fields: fieldsOf(expr, new Set()), matches: (row) => evaluate(expr, row) };
}
