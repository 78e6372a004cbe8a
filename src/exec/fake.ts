/**
 * A scripted Runner for unit tests: an ordered queue of expected commands per
 * node with their results; any other command fails the test. Files live in
 * a per-node in-memory map.
 */
import { type CommandResult, type HostRunner, type RunOptions, type Runner, RemoteError } from './runner.js';

export interface Expectation {
  node: string;
  argv: readonly string[];
  result?: Partial<CommandResult>;
  /** Throw a RemoteError instead (a dropped connection). */
  fail?: RemoteError['kind'];
}

export class FakeRunner implements Runner {
  readonly calls: { node: string; argv: readonly string[] }[] = [];
  readonly files = new Map<string, Map<string, { data: Buffer; mode: number }>>();
  private readonly queue: Expectation[];

  constructor(expectations: Expectation[] = [], files: Record<string, Record<string, string>> = {}) {
    this.queue = [...expectations];
    for (const [node, fs] of Object.entries(files)) this.files.set(node, new Map(Object.entries(fs).map(([p, t]) => [p, { data: Buffer.from(t), mode: 0o644 }])));
  }

  /** Expectations not yet consumed (a test asserts this is empty). */
  get pending(): readonly Expectation[] {
    return this.queue;
  }

  host(node: string): HostRunner {
    const self = this;
    const fs = () => {
      let m = self.files.get(node);
      if (!m) self.files.set(node, (m = new Map()));
      return m;
    };
    return {
      node,
      async run(argv: readonly string[], _opts?: RunOptions): Promise<CommandResult> {
        self.calls.push({ node, argv });
        const next = self.queue[0];
        if (!next || next.node !== node || JSON.stringify(next.argv) !== JSON.stringify(argv)) {
          throw new Error(`unexpected command on ${node}: ${JSON.stringify(argv)}; expected ${next ? `${next.node}: ${JSON.stringify(next.argv)}` : 'nothing'}`);
        }
        self.queue.shift();
        if (next.fail) throw new RemoteError(node, 'connection dropped (scripted)', next.fail);
        return { code: 0, stdout: '', stderr: '', durationMs: 0, ...next.result };
      },
      async readFile(path: string) {
        return fs().get(path)?.data;
      },
      async writeFile(path: string, data: Buffer | string, mode: number) {
        fs().set(path, { data: Buffer.from(data), mode });
      },
      async close() {},
    };
  }

  async closeAll(): Promise<void> {}
}
