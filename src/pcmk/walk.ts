/** Read-only traversal of the resource tree. */
import type { Primitive, Resource } from './model.js';

/** Every resource, parents before children: clones, their group or primitive, group members. */
export function allResources(resources: readonly Resource[]): Resource[] {
  const out: Resource[] = [];
  const visit = (r: Resource): void => {
    out.push(r);
    if (r.kind === 'group') r.members.forEach(visit);
    else if (r.kind === 'clone') visit(r.child);
  };
  resources.forEach(visit);
  return out;
}

/** Every primitive, in model order. */
export function allPrimitives(resources: readonly Resource[]): Primitive[] {
  return allResources(resources).filter((r): r is Primitive => r.kind === 'primitive');
}

/** The resource with this id, at any depth. */
export function findResource(resources: readonly Resource[], id: string): Resource | undefined {
  return allResources(resources).find((r) => r.id === id);
}
