/**
 * How an emitted element names the keepalived directive it came from. The
 * same words appear in every output (XML comment, shell/crmsh/YAML comment),
 * so an operator can grep one from another.
 */
import type { SourceRef } from '../pcmk/model.js';

/**
 * Text made safe for a one-line comment in any of our outputs: control
 * characters (newlines above all, which would end a `#` comment and let the
 * rest run as a command) become spaces, and runs of blanks shrink to one.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** `from keepalived.conf:12:3 vrrp_instance VI_1`: one line, never empty. */
export function sourceNote(source: SourceRef): string {
  const text = oneLine(source.text);
  return oneLine(`from ${source.file}:${source.line}:${source.column}${text ? ` ${text}` : ''}`);
}

/** True when two sources name the same place (an attribute noted where its element is already noted). */
export function sameSource(a: SourceRef | undefined, b: SourceRef | undefined): boolean {
  return a !== undefined && b !== undefined && a.file === b.file && a.line === b.line && a.column === b.column;
}
