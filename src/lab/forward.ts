/**
 * Loopback forwarding into the lab (scripts/lab/forward.py): lets a client
 * running on the host, such as ssh2 inside a jest test, reach each node's
 * sshd through 127.0.0.1:PORT, while every packet to 192.0.2.0/24 still
 * leaves from the client namespace. No address or route is added to the host.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil, spawnDetached, isAlive } from './proc.js';
import { scriptPath } from './paths.js';
import type { LabContext } from './observe.js';
import { trackPid } from './state.js';

/** Start the forwarder for port 22 of every node; returns node address → loopback port. */
export async function startForwarder(ctx: LabContext): Promise<Map<string, number>> {
  const file = join(ctx.state.dir, 'forward.ports');
  rmSync(file, { force: true });
  const targets = ctx.state.nodes.map((n) => `${n.addr}:22`);
  const rec = spawnDetached(['/usr/bin/python3', scriptPath('forward.py'), `/run/netns/${ctx.state.client.ns}`, file, ...targets], join(ctx.state.dir, 'forward.log'));
  trackPid(ctx.state, rec);
  ctx.save();
  const text = await pollUntil('the ssh forwarder', () => {
    if (!isAlive(rec)) throw new Error(`forwarder exited; see ${join(ctx.state.dir, 'forward.log')}`);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }, 10_000, 10);
  const ports = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [port, target] = line.split(' ');
    if (target) ports.set(target.split(':')[0], Number(port));
  }
  return ports;
}
