/**
 * The front end in one call: source → parse → model, once per node. A node is
 * a keepalived.conf evaluated for a config-id (keepalived's `-i`), so one
 * shared file with `@node1` lines yields a different configuration per node.
 */
import { Diagnostics, type Diagnostic } from './diag/diagnostic.js';
import type { SourceFile } from './diag/span.js';
import { buildModel } from './model/build.js';
import { crossNodeChecks, perNodeChecks } from './model/crossnode.js';
import type { KeepalivedConfig } from './model/types.js';
import { parse } from './parse/parse.js';
import { expand } from './source/expand.js';
import type { ConfigFileSystem } from './source/files.js';

export interface NodeInput {
  /** The node's name (its cluster node name). */
  name: string;
  /** Its keepalived.conf. */
  entry: string;
  /** The config-id for `@` lines; keepalived's default is the short host name. */
  configId?: string;
}

export interface NodeConfig {
  name: string;
  entry: string;
  configId: string | undefined;
  config: KeepalivedConfig;
  files: readonly SourceFile[];
}

export interface FrontEndResult {
  nodes: NodeConfig[];
  diagnostics: Diagnostic[];
}

/** Reads and models every node's configuration, then checks them against each other. */
export function readNodes(inputs: readonly NodeInput[], fs: ConfigFileSystem): FrontEndResult {
  const diags = new Diagnostics();
  const nodes: NodeConfig[] = [];
  for (const input of inputs) {
    const nodeDiags = new Diagnostics();
    const ex = expand(input.entry, { fs, configId: input.configId }, nodeDiags);
    const ast = parse(ex.lines, nodeDiags);
    const config = buildModel(
      ast,
      ex.files.map((f) => f.path),
      input.configId,
      nodeDiags,
    );
    perNodeChecks(config, nodeDiags);
    nodes.push({ name: input.name, entry: input.entry, configId: input.configId, config, files: ex.files });
    for (const d of nodeDiags.items) diags.add(d);
  }
  if (nodes.length > 1) crossNodeChecks(nodes, diags);
  return { nodes, diagnostics: dedupe(diags.sorted()) };
}

/** A shared file evaluated for several nodes reports the same problem once. */
function dedupe(items: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return items.filter((d) => {
    const k = `${d.code}\u0000${d.span?.file.path}\u0000${d.span?.start}\u0000${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
