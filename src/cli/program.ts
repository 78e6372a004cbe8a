/**
 * The command line, built in a function so that each test gets a fresh
 * Command (commander's own advice). Command modules are imported only when
 * their command runs: `--version` and `--help` never load the parser.
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, type Io, UsageError } from './io.js';

export { VERSION } from './version.js';
import { VERSION } from './version.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('ka2pcmk')
    .description('Move a Keepalived (VRRP) high-availability setup onto a Corosync + Pacemaker cluster, safely and provably.')
    .version(VERSION, '-V, --version')
    .option('--no-color', 'do not colour the output (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride();

  program
    .command('analyze')
    .description('read keepalived.conf (per node), explain what it means and report every problem')
    .argument('[FILE...]', 'keepalived configuration files (default /etc/keepalived/keepalived.conf)')
    .option('--node <NAME[=FILE]>', 'a cluster node: its own FILE, or the shared FILE evaluated with NAME as config-id (repeatable)', collect)
    .option('--config-id <ID>', "evaluate '@ID' lines for ID, like keepalived -i (default: the short host name)")
    .option('--json', 'print one JSON document instead of the summary')
    .option('-o, --output <DIR>', 'write the plan: cib.xml, pcs.sh, crmsh.crm, corosync.conf, ansible-ha_cluster.yml, report.md, plan.json')
    .option('--cluster-name <NAME>', 'corosync cluster name (default ka2pcmk)')
    .option('--node-address <NAME=IP>', "a node's corosync address, when no unicast_src_ip says it (repeatable)", collect)
    .option('--no-stonith', 'accept running without fencing (stonith-enabled=false); never the default')
    .option('--fence <AGENT[:k=v,...]>', 'a fence device, e.g. fence_xvm:pcmk_host_map=node1:vm1;node2:vm2')
    .option('--storage <SPEC>', 'shared storage to manage: device=DEV,directory=DIR,fstype=FS[,export=CLIENTS(OPTS)...][,drbd=RES][,instance=NAME] (repeatable)', collect)
    .addOption(new Option('--lvs <MODE>', 'how LVS virtual servers are kept').choices(['keepalived-checker', 'ldirectord']).default('keepalived-checker'))
    .addHelpText(
      'after',
      `
Examples:
  ka2pcmk analyze /etc/keepalived/keepalived.conf
  ka2pcmk analyze --node node1=node1.conf --node node2=node2.conf
  ka2pcmk analyze shared.conf --node node1 --node node2   # '@node1' lines apply to node1 only
  ka2pcmk analyze --json keepalived.conf | jq '.diagnostics'
  ka2pcmk analyze shared.conf --node node1 --node node2 --no-stonith -o plan/
  ka2pcmk analyze shared.conf --node node1 --node node2 --fence fence_xvm \
      --storage 'device=/dev/sdb1,directory=/srv/nfs,fstype=ext4,export=192.0.2.0/24(rw,sync)' -o plan/

Exit codes: 0 no error, 1 error diagnostics, 2 usage error.`,
    )
    .action(async (files: string[], opts: Omit<import('./analyze.js').AnalyzeOptions, 'files'>, cmd: Command) => {
      const { analyze } = await import('./analyze.js');
      const color = cmd.optsWithGlobals().color !== false && io.color;
      setExit(await analyze({ ...opts, files }, { ...io, color }));
    });

  return program;
}

/** Runs the CLI with argv (without node and script); returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    if (e instanceof UsageError) {
      io.err(`ka2pcmk: ${e.message}`);
      return ExitCode.usage;
    }
    throw e;
  }
}
