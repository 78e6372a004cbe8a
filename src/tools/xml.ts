/**
 * Reading XML that Pacemaker's tools write (CIBs, `--output-as=xml`) into a
 * small element tree. Pure; fast-xml-parser does the parsing, with entity
 * and character-reference decoding on so values read back exactly.
 */
import { XMLParser } from 'fast-xml-parser';

/** An element: name, attributes, child elements (text and comments dropped). */
export interface XmlTree {
  name: string;
  attrs: Record<string, string>;
  children: XmlTree[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  // Numeric character references (&#10;) must decode: values carry newlines and tabs that way.
  htmlEntities: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  commentPropName: '#comment',
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function convert(node: Ordered): XmlTree | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '#comment' || name.startsWith('?')) return undefined;
  const kids = (node[name] as Ordered[] | undefined) ?? [];
  return {
    name,
    attrs: { ...(node[':@'] ?? {}) },
    children: kids.map(convert).filter((c): c is XmlTree => c !== undefined),
  };
}

/** Parse a document; returns its root element, or an error message. */
export function parseXml(text: string): XmlTree | { error: string } {
  try {
    const nodes = (parser.parse(text) as Ordered[]).map(convert).filter((c): c is XmlTree => c !== undefined);
    if (nodes.length !== 1) return { error: `expected one root element, found ${nodes.length}` };
    return nodes[0];
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The first descendant (or the element itself) with this name, depth first. */
export function findElement(tree: XmlTree, name: string): XmlTree | undefined {
  if (tree.name === name) return tree;
  for (const c of tree.children) {
    const found = findElement(c, name);
    if (found) return found;
  }
  return undefined;
}
