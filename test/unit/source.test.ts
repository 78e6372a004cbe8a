import { describe, expect, test } from '@jest/globals';
import { locate } from '../../src/diag/span.js';
import { parseFiles, parseText } from '../helpers/frontend.js';

const KC = '/etc/keepalived/keepalived.conf';

/** The first word whose value is `v`, with its rendered position. */
function findWord(r: ReturnType<typeof parseText>, v: string) {
  const walk = (ss: typeof r.ast.statements): { value: string; at: string; site?: string } | undefined => {
    for (const s of ss) {
      for (const w of s.words) {
        if (w.value === v) {
          const l = locate(w.span);
          const site = w.site && locate(w.site);
          return { value: w.value, at: `${l.file}:${l.line}:${l.column}`, site: site && `${site.file}:${site.line}:${site.column}` };
        }
      }
      const inner = s.block && walk(s.block.statements);
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(r.ast.statements);
}

describe('blocks and braces', () => {
  test('brace glued to a word, alone on the next line, and whole blocks on one line', () => {
    const r = parseText('global_defs{\n router_id a\n}\nvrrp_instance X\n{\n track_script { chk weight 10 } }\n');
    expect(r.codes).toEqual([]);
    expect(r.printed).toBe('global_defs {\n    router_id a\n}\nvrrp_instance X {\n    track_script {\n        chk weight 10\n    }\n}');
  });

  test('a missing closing brace is reported at the brace that opened the block', () => {
    const r = parseText('vrrp_instance VI_1 {\n  state MASTER\n  virtual_ipaddress {\n    192.0.2.1\n}\n');
    expect(r.rendered).toBe(
      [
        "keepalived.conf:1:20: error[unclosed-block]: 'vrrp_instance' block opened here is never closed: '}' is missing",
        '  |',
        '1 | vrrp_instance VI_1 {',
        '  |                    ^',
        '  = hint: keepalived reads everything after it as part of this block, and reports no line for it',
      ].join('\n'),
    );
  });

  test('an extra closing brace is reported where it stands', () => {
    const r = parseText('global_defs {\n}\n}\n');
    expect(r.codes).toEqual(['extra-closing-brace']);
    expect(r.rendered).toContain("keepalived.conf:3:1: error[extra-closing-brace]: extra '}'");
  });

  test('print and parse round-trip', () => {
    const src = 'a "b c" d\\#e {\n x \'y z\' {\n  q\n }\n}\nlast "with \\"quote\\""\n';
    const once = parseText(src);
    const twice = parseText(once.printed);
    expect(twice.printed).toBe(once.printed);
    expect(twice.codes).toEqual(once.codes);
  });
});

describe('comments, quotes and escapes', () => {
  test('# and ! start comments anywhere outside double quotes; \\# escapes', () => {
    const r = parseText('a b#comment\nc "d # e" ! more\nf g\\#h\n');
    expect(r.printed).toBe('a b\nc "d # e"\nf "g#h"');
  });

  test('quotes may open inside a word; escapes are processed', () => {
    const r = parseText('notify_master "/bin/echo \\"hi there\\"" ab"c d"e \\x41\\101\n');
    expect(r.ast.statements[0].words.map((w) => w.value)).toEqual(['notify_master', '/bin/echo "hi there"', 'abc de', 'AA']);
  });

  test('an unterminated quote is an error at the quote', () => {
    const r = parseText('router_id "abc\n');
    expect(r.codes).toContain('unterminated-quote');
    expect(r.rendered).toContain('keepalived.conf:1:11:');
  });

  test('a quoted string over 1 KiB (keepalived crashes on it) gets a clean error', () => {
    const r = parseText(`global_defs {\n  router_id "${'x'.repeat(1500)}"\n}\n`);
    expect(r.codes).toContain('quoted-string-too-long');
  });

  test('CRLF line ends and a UTF-8 BOM keep columns right', () => {
    const r = parseText('\ufeffglobal_defs {\r\n  router_id r1\r\n  bogus  "x\r\n}\r\n');
    expect(r.rendered).toContain('keepalived.conf:3:10: error[unterminated-quote]');
    expect(findWord(r, 'global_defs')?.at).toBe('/etc/keepalived/keepalived.conf:1:1');
  });
});

describe('includes', () => {
  test('globs with braces, relative to the including file, positions in the included file', () => {
    const r = parseFiles({
      [KC]: 'include conf.d/{a,b}.conf\ninclude /etc/keepalived/more/*.conf\n',
      '/etc/keepalived/conf.d/a.conf': 'from_a 1\n',
      '/etc/keepalived/conf.d/b.conf': '\n  from_b 2\n',
      '/etc/keepalived/more/2.conf': 'more_2\n',
      '/etc/keepalived/more/1.conf': 'more_1\n',
    });
    expect(r.printed).toBe('from_a 1\nfrom_b 2\nmore_1\nmore_2');
    expect(findWord(r, 'from_b')?.at).toBe('/etc/keepalived/conf.d/b.conf:2:3');
  });

  test('an include cycle is an error naming the chain', () => {
    const r = parseFiles({ [KC]: 'include a.conf\n', '/etc/keepalived/a.conf': 'x 1\ninclude keepalived.conf\n' });
    expect(r.codes).toEqual(['include-cycle']);
    expect(r.rendered).toContain(
      'a.conf:2:1: error[include-cycle]: include cycle: keepalived.conf -> a.conf -> keepalived.conf',
    );
  });

  test('a self-include through a glob is caught', () => {
    const r = parseFiles({ [KC]: 'include /etc/keepalived/*.conf\nx 1\n' });
    expect(r.codes).toEqual(['include-cycle']);
    expect(r.printed).toBe('x 1');
  });

  test('a missing include is a warning, as keepalived goes on', () => {
    const r = parseFiles({ [KC]: 'include nothing/*.conf\n' });
    expect(r.codes).toEqual(['include-not-found']);
  });
});

describe('conditionals, parameters and generators', () => {
  test('@ID and @^ID lines for a config-id', () => {
    const src = '@node1 priority 150\n@node2 priority 100\n@^node1 state BACKUP\n  @node1 state MASTER\n';
    expect(parseText(src, 'node1').printed).toBe('priority 150\nstate MASTER');
    expect(parseText(src, 'node2').printed).toBe('priority 100\nstate BACKUP');
    expect(parseText(src).printed).toBe('state BACKUP');
  });

  test('recursive substitution; words keep where they were written and where used', () => {
    const r = parseText('$NET=192.0.2\n$VIP=${NET}.100\nvirtual_ipaddress {\n  $VIP\n}\n');
    expect(r.printed).toBe('virtual_ipaddress {\n    192.0.2.100\n}');
    const w = findWord(r, '192.0.2.100');
    expect(w?.site).toBe('/etc/keepalived/keepalived.conf:4:3');
  });

  test('a substituted value is reported where it was written', () => {
    const r = parseText('$X=abc\nrouter_id "$X\n');
    expect(r.codes).toContain('unterminated-quote');
  });

  test('multi-line definitions expand to several lines', () => {
    const r = parseText('$BLOCK=virtual_ipaddress { \\\n  192.0.2.1 \\\n}\nvrrp_instance X {\n  $BLOCK\n}\n');
    expect(r.printed).toBe('vrrp_instance X {\n    virtual_ipaddress {\n        192.0.2.1\n    }\n}');
  });

  test('$NAME glued to text is not substituted, and that is said', () => {
    const r = parseText('$VIP=192.0.2.1\na $VIP/24\n');
    expect(r.printed).toBe('a "$VIP/24"');
    expect(r.codes).toEqual(['parameter-not-substituted']);
  });

  test('undefined parameters stay as written, with a warning', () => {
    const r = parseText('state ${KEEPALIVED_STATE}\n');
    expect(r.printed).toBe('state "${KEEPALIVED_STATE}"');
    expect(r.codes).toEqual(['undefined-parameter']);
  });

  test('an undefined parameter is reported once per place it is written, however often it comes back', () => {
    // Written twice in a definition used by a hundred generated lines: two warnings, at the definition
    // (they were also reported at the use, with offsets of the substituted line read in the unsubstituted one).
    const r = parseText('$A=$B x $B\n~SEQ(i, 100) $A\n');
    expect(r.codes).toEqual(['undefined-parameter', 'undefined-parameter']);
    expect(r.rendered).toMatch(/keepalived\.conf:1:4: warning\[undefined-parameter\]/);
    expect(r.rendered).toMatch(/keepalived\.conf:1:9: warning\[undefined-parameter\]/);
    // Not where it lands inside quotes (a quoted $ is usually meant literally); where the same place lands unquoted, once.
    const q = parseText('$Q=${B}\na "${Q}"\nb ${Q}\nc ${Q}\n');
    expect(q.codes).toEqual(['undefined-parameter']);
    expect(q.rendered).toMatch(/keepalived\.conf:1:4: warning\[undefined-parameter\]: parameter 'B' is not defined; keepalived keeps '\$\{B\}' as written/);
  });

  test('a self-referencing definition does not hang', () => {
    const r = parseText('$A=x $A\ny $A\n');
    expect(r.codes).toContain('parameter-recursion');
  });

  test('predefined names; a substituted # starts a comment unless quoted, as keepalived re-decomments', () => {
    expect(parseText('a ${_INSTANCE} ${_HASH}x\n', 'node7').printed).toBe('a node7');
    expect(parseText('a "${_HASH}x" ${_BANG}\n', 'node7').printed).toBe('a "#x"');
  });

  test('~SEQ, ~SEQx and ~LST repeat lines, and nest', () => {
    expect(parseText('~SEQ(i, 3) vrid $i\n').printed).toBe('vrid 1\nvrid 2\nvrid 3');
    expect(parseText('~SEQ(i, 10, 5, 20) v $i\n').printed).toBe('v 10\nv 15\nv 20');
    expect(parseText('~SEQx(i, 9, 11) v $i\n').printed).toBe('v 9\nv a\nv b');
    expect(parseText('~LST({a,b}, {1,x}, {2,y}) p $a $b\n').printed).toBe('p 1 x\np 2 y');
    expect(parseText('~SEQ(i, 2) ~SEQ(j, 2) c $i $j\n').printed).toBe('c 1 1\nc 1 2\nc 2 1\nc 2 2');
  });

  test('what generators add is counted, even lines that produce nothing', () => {
    // 2 outer lines, each a generator of 3: 2 + 2 x 3 lines generated, 6 of them out.
    expect(parseText('~SEQ(i, 2) ~SEQ(j, 3) c $i $j\n').expanded.generated.lines).toBe(8);
    // The inner generator is refused on each of the 4 outer lines: 4 lines read, none out.
    const r = parseText('~SEQ(i, 4) ~SEQ(j, 0, 1, 9999999) c\n');
    expect(r.expanded.lines).toHaveLength(0);
    expect(r.expanded.generated.lines).toBe(4);
    expect(r.expanded.generated.chars).toBe(4 * '~SEQ(j, 0, 1, 9999999) c'.length);
  });

  test('an invalid generator is an error at its line', () => {
    const r = parseText('~SEQ(i, 1, -1, 5) x\n');
    expect(r.codes).toEqual(['invalid-generator']);
  });
});

describe('templates', () => {
  test('placeholders are reported at their position and do not cascade', () => {
    const r = parseText('{% for v in vlans %}\nvrrp_instance {{ v.name }} {\n  interface #IFACE#\n}\n{% endfor %}\n');
    expect(r.codes).toEqual(['template-placeholder', 'template-placeholder', 'template-placeholder']);
    expect(r.rendered).toContain('keepalived.conf:3:13: error[template-placeholder]');
    expect(r.printed).toBe('vrrp_instance "{{ v.name }}" {\n    interface\n}');
  });
});

describe('model: value blocks', () => {
  test('a sync group written on one line names every member', async () => {
    const { readNodes } = await import('../../src/frontend.js');
    const { MemoryFileSystem } = await import('../../src/source/files.js');
    const text = 'vrrp_sync_group G { group { VI_1 VI_2 } }\nvrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n}\nvrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n}\n';
    const r = readNodes([{ name: 'n', entry: KC, configId: 'n' }], MemoryFileSystem.of({ [KC]: text }));
    expect(r.nodes[0].config.syncGroups[0].members.map((m) => m.name)).toEqual(['VI_1', 'VI_2']);
    expect(r.nodes[0].config.instances.map((i) => i.syncGroup)).toEqual(['G', 'G']);
  });
});
