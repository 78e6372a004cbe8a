/** Helpers to run the source layer and parser on in-memory files. */
import { Diagnostics } from '../../src/diag/diagnostic.js';
import { renderDiagnostics } from '../../src/diag/render.js';
import { parse } from '../../src/parse/parse.js';
import { printStatements } from '../../src/parse/printer.js';
import { expand } from '../../src/source/expand.js';
import { MemoryFileSystem } from '../../src/source/files.js';

export function parseFiles(files: Record<string, string>, entry = '/etc/keepalived/keepalived.conf', configId?: string) {
  const diags = new Diagnostics();
  const ex = expand(entry, { fs: MemoryFileSystem.of(files), configId }, diags);
  const ast = parse(ex.lines, diags);
  return {
    ast,
    expanded: ex,
    diags,
    printed: printStatements(ast.statements),
    rendered: renderDiagnostics(diags.sorted(), undefined, (p) => p.replace(/^\/etc\/keepalived\//, '')),
    codes: diags.sorted().map((d) => d.code),
  };
}

export function parseText(text: string, configId?: string) {
  return parseFiles({ '/etc/keepalived/keepalived.conf': text }, undefined, configId);
}
