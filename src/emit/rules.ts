/**
 * Location rules in the two command-line dialects: pcs (as argv words, and as
 * the single string the Ansible ha_cluster role takes) and crmsh. Both read
 * `defined pingd`, `#uname eq node1`; they differ in how a value's type is
 * written (`pingd lt integer 1` in pcs, `pingd number:lt 1` in crmsh).
 */
import { isPresence, type Expression, type Rule } from '../pcmk/model.js';

function pcsExpression(e: Expression): string[] {
  if (isPresence(e)) return [e.op, e.attribute];
  return e.type ? [e.attribute, e.op, e.type, e.value] : [e.attribute, e.op, e.value];
}

/** The rule's expression as pcs words: `['defined', 'pingd', 'or', 'pingd', 'lt', 'integer', '1']`. */
export function pcsRuleWords(rule: Rule): string[] {
  const op = rule.booleanOp ?? 'and';
  return rule.expressions.flatMap((e, i) => (i === 0 ? pcsExpression(e) : [op, ...pcsExpression(e)]));
}

// crmsh 4.x knows string, version and number; an integer comparison is a number one there.
function crmshExpression(e: Expression, quote: (v: string) => string): string {
  if (isPresence(e)) return `${e.op} ${e.attribute}`;
  const type = e.type === undefined ? '' : `${e.type === 'integer' ? 'number' : e.type}:`;
  return `${e.attribute} ${type}${e.op} ${quote(e.value)}`;
}

/** The rule's expression in crmsh syntax, values quoted with the given function. */
export function crmshRuleText(rule: Rule, quote: (v: string) => string): string {
  return rule.expressions.map((e) => crmshExpression(e, quote)).join(` ${rule.booleanOp ?? 'and'} `);
}
