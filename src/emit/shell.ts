/**
 * The one place where values are quoted for a POSIX shell. Every word of
 * every emitted command goes through `shellQuote`, so a hostile value (quotes,
 * `$(...)`, newlines, globs) can only ever be a single literal argument.
 */

// Words made only of these need no quotes in any POSIX shell and read best bare.
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote one word: bare when it is plainly safe, otherwise in single quotes,
 * where nothing is special except the single quote itself, written `'\''`.
 * The empty string becomes `''`. A leading `=` or `~` is quoted too, since
 * some shells expand them at the start of a word.
 */
export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word) && !/^[=~]/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line from argv, each word quoted. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
