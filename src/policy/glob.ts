/**
 * Shell-style name patterns for snapshot and collection names: `*` is any run of characters,
 * `?` one character, everything else literal; the whole name must match.
 */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** One matcher for several patterns: a name matches when any pattern matches it. */
export function globMatcher(patterns: readonly string[]): (name: string) => string | undefined {
  const compiled = patterns.map((p) => ({ pattern: p, re: globToRegExp(p) }));
  return (name) => compiled.find((c) => c.re.test(name))?.pattern;
}
