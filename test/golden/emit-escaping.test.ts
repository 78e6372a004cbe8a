/** The small pieces every emitter relies on: ids, shell quoting, XML escaping, model validation. */
import { crmshQuote } from '../../src/emit/crmsh.js';
import { shellQuote } from '../../src/emit/shell.js';
import { escapeAttr, escapeComment, renderXml } from '../../src/emit/xml.js';
import { IdRegistry, isValidId, makeId } from '../../src/pcmk/ids.js';
import { validateModel } from '../../src/pcmk/validate.js';
import { parseXml } from '../../src/tools/xml.js';
import { FIXTURES, HOSTILE } from '../helpers/pcmk-fixtures.js';

const NASTY = [HOSTILE, '', "'", "''", '-n', '~root', '=x', '*', 'a b', '$(id)', '\\', 'ünïcødé', '\n', '!', '#x'];

describe('makeId / IdRegistry', () => {
  it('builds valid, readable, stable ids', () => {
    expect(makeId('vip', 'VI_1')).toBe('vip-VI_1');
    expect(makeId('vip', '2001:db8::10/64')).toBe('vip-2001_db8__10_64');
    expect(makeId('1st')).toBe('_1st');
    expect(makeId('', ' ', 'x')).toBe('x');
    expect(makeId()).toBe('_');
    for (const s of NASTY) expect(isValidId(makeId(s))).toBe(true);
  });

  it('suffixes taken ids in request order, as pcs does', () => {
    const ids = new IdRegistry(['a']);
    expect([ids.unique('a'), ids.unique('a'), ids.unique('b'), ids.unique('b')]).toEqual(['a-1', 'a-2', 'b', 'b-1']);
  });
});

describe('shellQuote', () => {
  it('leaves plain words bare and single-quotes the rest', () => {
    expect(shellQuote('ip=192.0.2.10')).toBe('ip=192.0.2.10');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('#uname')).toBe(`'#uname'`);
    expect(shellQuote('~root')).toBe(`'~root'`);
  });

  it('quotes every hostile value as one word (checked by reading it back the POSIX way)', () => {
    // A minimal POSIX reader for what shellQuote writes: bare words, or '...' pieces joined by \'.
    const read = (q: string): string => (q.startsWith("'") ? q.split(`'\\''`).map((p) => p.replace(/^'|'$/g, '')).join("'") : q);
    for (const s of NASTY) expect(read(shellQuote(s))).toBe(s);
  });
});

describe('XML escaping', () => {
  it('attribute values read back exactly, newlines and tabs included', () => {
    for (const s of NASTY) {
      const tree = parseXml(renderXml([{ name: 'x', attrs: [['v', s]] }]));
      expect('error' in tree ? tree.error : tree.attrs.v).toBe(s);
    }
    expect(escapeAttr('a\nb\tc"<&>')).toBe('a&#10;b&#9;c&quot;&lt;&amp;&gt;');
  });

  it('drops characters XML cannot carry, and comments cannot be ended early', () => {
    expect(escapeAttr('a\u0001b')).toBe('a\ufffdb');
    expect(escapeComment('a--b---c-')).not.toMatch(/--|-$/);
    expect(renderXml([{ comment: '--> <evil/> <!--' }])).toBe('<!-- - -> <evil/> <!- -  -->\n');
  });

  it('crmshQuote keeps values on one line and escapes only what shlex reads', () => {
    expect(crmshQuote('plain')).toBe('plain');
    expect(crmshQuote('a "b" \\ $c\nd')).toBe('"a \\"b\\" \\\\ $c d"');
  });
});

describe('validateModel', () => {
  it('finds nothing wrong with the fixtures except what is known about the hostile one', () => {
    for (const [name, model] of Object.entries(FIXTURES)) {
      const codes = validateModel(model).map((p) => p.code);
      expect({ name, codes }).toEqual({ name, codes: name === 'hostile' ? ['value-mangled'] : [] });
    }
  });

  it('reports dangling references and duplicate ids', () => {
    const model = structuredClone(FIXTURES.vipGroup);
    model.cib.constraints.push({ kind: 'colocation', id: 'g-VI_1', rsc: 'nope', withRsc: 'g-VI_1', score: 'INFINITY' });
    expect(validateModel(model).map((p) => p.code)).toEqual(['duplicate-id', 'unknown-resource']);
  });
});
