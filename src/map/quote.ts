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

/**
 * Why argv cannot travel as an agent parameter, if it cannot: Pacemaker's
 * CIB writer stores a newline as the two characters `\n`, a tab as four
 * spaces (seen with cibadmin 2.1), and drops what follows a NUL, so an
 * argument holding one would reach the script changed. The quoting is not
 * the problem; the CIB is.
 */
export function unstorableArgument(argv: readonly string[]): string | undefined {
  const k = argv.findIndex((a) => /[\n\r\t\0]/.test(a));
  if (k < 0) return undefined;
  return `argument ${k + 1} (${JSON.stringify(argv[k]).slice(0, 60)}) holds a newline, tab or NUL byte, which the CIB cannot store unchanged`;
}

/** argv as one shell line that `eval "set -- LINE"` turns back into the same argv. */
export function shLine(argv: readonly string[]): string {
  return argv.map(shWord).join(' ');
}
