/**
 * POSIX shell quoting for the command lines our agents run (`eval "set --
 * $command"`): the map layer must not depend on the emitters, and an agent's
 * parameter is one string, so argv is carried as one safely quoted line.
 */

/** One word, quoted only when needed: `a b` → `'a b'`, `it's` → `'it'\''s'`. */
export function shWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv as one shell line that `eval "set -- LINE"` turns back into the same argv. */
export function shLine(argv: readonly string[]): string {
  return argv.map(shWord).join(' ');
}
