/**
 * How keepalived turns a script line into argv: each word (already unquoted
 * by the word reader) is split again on blanks outside quotes, so that
 * `script "killall -0 nginx"` runs killall with two arguments.
 */
export function splitCommand(words: readonly string[]): string[] {
  const argv: string[] = [];
  for (const w of words) {
    let cur = '';
    let has = false;
    let quote = '';
    for (let i = 0; i < w.length; i++) {
      const c = w[i];
      if (quote) {
        if (c === quote) quote = '';
        else cur += c;
      } else if (c === '"' || c === "'") {
        quote = c;
        has = true;
      } else if (c === '\\' && i + 1 < w.length) {
        cur += w[++i];
        has = true;
      } else if (c === ' ' || c === '\t') {
        if (has || cur) argv.push(cur);
        cur = '';
        has = false;
      } else {
        cur += c;
        has = true;
      }
    }
    if (has || cur) argv.push(cur);
  }
  return argv;
}
