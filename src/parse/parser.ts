/**
 * The grammar, generic like keepalived's own: lines of words, each optionally
 * followed by a `{ }` block of further lines.
 *
 *   config    := ( Newline | statement | strayBlock )*
 *   statement := Word+ block?
 *   block     := '{' ( Newline | statement | strayBlock )* '}'
 *
 * A newline between a line and its '{' does not end the statement: the token
 * pass in parse.ts drops such newlines, as keepalived accepts the brace on the
 * keyword's line or on the next. Braces are balanced before parsing (a
 * missing or extra brace is reported there with its position), so recovery
 * here only ever handles what that pass could not foresee.
 */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import { AnyWord, LBrace, Newline, RBrace, allTokens } from './tokens.js';

/** What the parser builds; parse.ts turns offsets into spans. */
export interface RawStatement {
  words: IToken[];
  block?: RawBlock;
}
export interface RawBlock {
  open: IToken;
  close: IToken;
  statements: RawStatement[];
  /** A block that follows no line (keepalived: "Unexpected '{'"). */
  stray?: boolean;
}

export class KeepalivedParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  /** config := ( Newline | statement | strayBlock )* */
  config = this.RULE('config', (): RawStatement[] => {
    const out: RawStatement[] = [];
    this.MANY(() => {
      const s = this.SUBRULE(this.item);
      this.ACTION(() => s && out.push(s));
    });
    return out;
  });

  /** One line, or a blank line (undefined), or a block that follows no line. */
  private item = this.RULE('item', (): RawStatement | undefined => this.OR<RawStatement | undefined>(this.itemAlts));

  /**
   * item's alternatives, built once: an OR given a fresh array builds it and
   * its closures again for every line (chevrotain's advice for embedded actions).
   */
  private readonly itemAlts = [
    { ALT: () => (this.CONSUME(Newline), undefined) },
    { ALT: () => this.SUBRULE(this.statement) },
    {
      ALT: () => {
        const b = this.SUBRULE(this.block);
        return { words: [], block: { ...b, stray: true } };
      },
    },
  ];

  /** statement := Word+ block? */
  private statement = this.RULE('statement', (): RawStatement => {
    const words: IToken[] = [];
    this.AT_LEAST_ONE(() => words.push(this.CONSUME(AnyWord)));
    const block = this.OPTION(() => this.SUBRULE(this.block));
    return block ? { words, block } : { words };
  });

  /** block := '{' ( Newline | statement | strayBlock )* '}' */
  private block = this.RULE('block', (): RawBlock => {
    const open = this.CONSUME(LBrace);
    const statements: RawStatement[] = [];
    this.MANY(() => {
      const s = this.SUBRULE(this.item);
      this.ACTION(() => s && statements.push(s));
    });
    const close = this.CONSUME(RBrace);
    return { open, close, statements };
  });
}

let instance: KeepalivedParser | undefined;
/** One parser instance, reused (`parser.input = tokens`), as chevrotain's authors advise. */
export function getParser(): KeepalivedParser {
  instance ??= new KeepalivedParser();
  return instance;
}
