/**
 * JSON.parse with an error that always says where: V8 reports "Unexpected token '}', ..." for many
 * mistakes without a position, and a person fixing a `--policy` value needs one.
 */
export class JsonSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly line: number,
    readonly column: number,
    expected: string,
  ) {
    super(`malformed JSON at position ${position} (line ${line} column ${column}): expected ${expected}`);
    this.name = 'JsonSyntaxError';
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const { at, expected } = firstError(text);
    const before = text.slice(0, at).split('\n');
    throw new JsonSyntaxError(at, before.length, before[before.length - 1].length + 1, expected);
  }
}

interface Failure {
  at: number;
  expected: string;
}

/** Walks the JSON grammar (RFC 8259) to the first character that breaks it. */
function firstError(text: string): Failure {
  let i = 0;
  const fail = (expected: string): never => {
    throw { at: i, expected } satisfies Failure;
  };
  const space = () => {
    while (/[ \t\n\r]/.test(text[i] ?? '')) i++;
  };
  const literal = (re: RegExp, what: string) => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) fail(what);
    i += m![0].length;
  };
  const string = () => literal(/"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y, 'a string');
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{')
      return container('}', () => (string(), space(), text[i] === ':' ? i++ : fail("':'"), value()));
    if (c === '[') return container(']', value);
    if (c === '"') return string();
    literal(/-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y, 'a value');
  };
  const container = (close: string, member: () => void) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      space();
      member();
      space();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') fail(`',' or '${close}'`);
      i++;
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail('the end of the input');
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'at' in err) return err as Failure;
    throw err;
  }
  return { at: i, expected: 'valid JSON' };
}
