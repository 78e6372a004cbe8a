/**
 * The command line, built in a function so that each test gets a fresh
 * Command (commander's own advice). Command modules are imported only when
 * their command runs: `--version` and `--help` never load the parser.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
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
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  ka2pcmk analyze --node node1=node1.conf --node node2=node2.conf -o plan/
  ka2pcmk migrate plan/ --dry-run
  ka2pcmk migrate plan/ && ka2pcmk check plan/
  ka2pcmk report plan/ --format html -o cutover.html
  source <(ka2pcmk completion bash)

Exit codes:
  0  success
  1  input or diagnostic errors, a refused migration, a failed check
  2  usage error
  3  migration failed and was rolled back cleanly
  4  migration failed and rollback is incomplete: operator action needed (DIR/MANUAL-STEPS.md)

Environment: NO_COLOR (any non-empty value) turns colour off, as --no-color does.
Run 'ka2pcmk help COMMAND' for a command's options and examples.`,
    );

  program
    .command('analyze')
    .description('read keepalived.conf (per node), explain what it means and report every problem')
    .argument('[FILE...]', 'keepalived configuration files (default /etc/keepalived/keepalived.conf)')
    .option('--node <NAME[=FILE]>', 'a cluster node: its own FILE, or the shared FILE evaluated with NAME as config-id (repeatable)', collect)
    .option('--config-id <ID>', "evaluate '@ID' lines for ID, like keepalived -i (default: the short host name)")
    .option('--json', 'print one JSON document instead of the summary')
    .option('--no-map', 'only read and check the configuration (like keepalived -t); do not map it to Pacemaker')
    .option('-o, --output <DIR>', 'write the plan: cib.xml, pcs.sh, crmsh.crm, corosync.conf, ansible-ha_cluster.yml, report.md, plan.json')
    .option('--diff', 'show coloured unified diffs of what changes on each node and in the CIB (always shown with -o)')
    .option('--cluster-name <NAME>', 'corosync cluster name (default ka2pcmk)')
    .option('--node-address <NAME=IP>', "a node's corosync address, when no unicast_src_ip says it (repeatable)", collect)
    .option('--no-stonith', 'accept running without fencing (stonith-enabled=false); never the default')
    .option('--fence <AGENT[:k=v,...]>', 'a fence device, e.g. fence_xvm:pcmk_host_map=node1:vm1;node2:vm2')
    .option('--storage <SPEC>', 'shared storage to manage: device=DEV,directory=DIR,fstype=FS[,export=CLIENTS(OPTS)...][,drbd=RES][,instance=NAME] (repeatable)', collect)
    .addOption(new Option('--lvs <MODE>', 'how LVS virtual servers are kept').choices(['keepalived-checker', 'ldirectord']).default('keepalived-checker'))
    .option('--host <[NAME=][USER@]HOST[:PORT]>', "read a node over ssh: keepalived.conf, includes, scripts and the running state (repeatable; named by its short host name unless NAME= is given)", collect)
    .option('--remote-config <PATH>', 'keepalived.conf on the hosts (default /etc/keepalived/keepalived.conf)')
    .option('--identity <FILE>', 'an ssh private key to try first (repeatable)', collect)
    .option('--known-hosts <FILE>', 'verify host keys against this known_hosts file (and add new ones to it)')
    .option('--accept-new-host-keys', "accept and record an unknown host's key, like StrictHostKeyChecking=accept-new (a changed key still stops)")
    .option('--ssh-config <FILE>', 'ssh_config file (default ~/.ssh/config)')
    .option('--connect-timeout <SEC>', 'ssh connection timeout (default 15)')
    .addHelpText(
      'after',
      `
Examples:
  ka2pcmk analyze /etc/keepalived/keepalived.conf
  ka2pcmk analyze --node node1=node1.conf --node node2=node2.conf
  ka2pcmk analyze shared.conf --node node1 --node node2   # '@node1' lines apply to node1 only
  ka2pcmk analyze --json keepalived.conf | jq '.diagnostics'
  ka2pcmk analyze --host root@db1 --host root@db2 -o plan/  # over ssh, with the running state
  ka2pcmk analyze shared.conf --node node1 --node node2 --no-stonith -o plan/
  ka2pcmk analyze shared.conf --node node1 --node node2 --fence fence_xvm \
      --storage 'device=/dev/sdb1,directory=/srv/nfs,fstype=ext4,export=192.0.2.0/24(rw,sync)' -o plan/

Exit codes: 0 no error, 1 error diagnostics, 2 usage error.`,
    )
    .action(async (files: string[], opts: Omit<import('./analyze-remote.js').AnalyzeRemoteOptions, 'host'> & { host?: string[] }, cmd: Command) => {
      const color = cmd.optsWithGlobals().color !== false && io.color;
      if (opts.host?.length) {
        if (files.length) throw new UsageError('--host reads keepalived.conf from the hosts: give no FILE (use --remote-config PATH)');
        const { analyzeRemote } = await import('./analyze-remote.js');
        setExit(await analyzeRemote({ ...opts, host: opts.host }, { ...io, color }));
        return;
      }
      const { analyze } = await import('./analyze.js');
      setExit(await analyze({ ...opts, files }, { ...io, color }));
    });

  program
    .command('check')
    .description('the post-migration checklist: VIP on one node and where Pacemaker says, moves on standby (and on failure), storage, quorum, fencing, failed actions, keepalived off, the cluster enabled at boot')
    .argument('[DIR]', 'a plan directory: its hosts, VIPs and storage')
    .option('--host <[NAME=][USER@]HOST[:PORT]>', 'a node to check (repeatable; instead of, or overriding, the plan\'s hosts)', collect)
    .option('--json', 'print the result as JSON')
    .option('-v, --verbose', 'show the evidence of every item, not only of failures')
    .option('--no-standby', 'skip the standby test (it moves the VIP and back)')
    .option('--failover', "also stop the VIP holder's cluster stack and time the move (disruptive; the node is brought back)")
    .option('--no-stonith', 'accept a cluster without fencing')
    .option('--move-timeout <SEC>', 'how long a VIP may take to move (default 60)')
    .option('--identity <FILE>', 'an ssh private key to try first (repeatable)', collect)
    .option('--known-hosts <FILE>', 'verify host keys against this known_hosts file')
    .option('--accept-new-host-keys', "accept and record an unknown host's key (a changed key still stops)")
    .option('--ssh-config <FILE>', 'ssh_config file (default ~/.ssh/config)')
    .option('--connect-timeout <SEC>', 'ssh connection timeout (default 15)')
    .addHelpText(
      'after',
      `
Examples:
  ka2pcmk check plan/                          # the hosts recorded by analyze --host
  ka2pcmk check --host node1=root@db1 --host node2=root@db2 --no-standby
  ka2pcmk check plan/ --failover -v            # also fail the VIP holder over (disruptive)
  ka2pcmk check plan/ --json > plan/check.json # kept as evidence: 'ka2pcmk report plan/' shows it

Exit codes: 0 every item passed (or was skipped), 1 an item failed or a host could not be reached, 2 usage.`,
    )
    .action(async (dir: string | undefined, opts: Omit<import('./check.js').CheckOptions, 'dir'>, cmd: Command) => {
      const { check } = await import('./check.js');
      const color = cmd.optsWithGlobals().color !== false && io.color;
      setExit(await check({ ...opts, ...(dir ? { dir } : {}) }, { ...io, color }));
    });

  // migrate and rollback (src/cli/migrate.ts, rollback.ts): the ssh options match analyze --host's.
  const sshOptions = (c: Command) =>
    c
      .option('--identity <FILE>', 'an ssh private key to try first (repeatable)', collect)
      .option('--known-hosts <FILE>', 'verify host keys against this known_hosts file (and add new ones to it)')
      .option('--accept-new-host-keys', "accept and record an unknown host's key, like StrictHostKeyChecking=accept-new (a changed key still stops)")
      .option('--ssh-config <FILE>', 'ssh_config file (default ~/.ssh/config)');
  sshOptions(
    program
      .command('migrate')
      .description('execute the plan in DIR: backups, cluster bootstrap, one CIB change, the cutover with the VIP probed; journaled, rolled back on failure')
      .argument('<DIR>', 'the plan directory written by `analyze -o DIR`')
      .option('--dry-run', 'print every command per host, in order, with its inverse; change nothing')
      .option('--no-rollback', 'on failure, leave everything as it is (the journal still allows `ka2pcmk rollback DIR`)')
      .option('--probe-port <N>', "TCP port of the VIP probed every 10 ms during the cutover", '80')
      .option('--json', 'stream progress as NDJSON events on stdout (the summary goes to stderr)'),
  )
    .addHelpText('after', '\nExamples:\n  ka2pcmk migrate plan/ --dry-run               # every command per host, with its inverse\n  ka2pcmk migrate plan/ --probe-port 443\n  ka2pcmk migrate plan/ --identity ~/.ssh/ops_ed25519 --known-hosts ops_known_hosts\n  ka2pcmk report plan/ --format html -o cutover.html   # afterwards: the cutover, probed\n\nExit codes: 0 migrated, 1 refused (stale plan, unsafe state, preflight failed: nothing changed), 2 usage, 3 failed and rolled back cleanly, 4 failed and rollback incomplete (see DIR/MANUAL-STEPS.md).')
    .action(async (dir: string, opts: import('./migrate.js').MigrateOptions) => {
      const { migrate } = await import('./migrate.js');
      setExit(await migrate(dir, opts, io));
    });
  sshOptions(
    program
      .command('rollback')
      .description("undo the last migration journaled in DIR: inverses replayed in reverse order, configs restored byte for byte, the VIP back on its original holder")
      .argument('<DIR>', 'the plan directory a migration ran from')
      .option('--probe-port <N>', 'TCP port of the VIP probed every 10 ms while rolling back', '80')
      .option('--json', 'stream progress as NDJSON events on stdout (the summary goes to stderr)'),
  )
    .addHelpText('after', '\nExamples:\n  ka2pcmk rollback plan/                         # after exit 3 or 4, or a killed migrate\n  ka2pcmk rollback plan/ && ka2pcmk report plan/ # running it twice is harmless\n\nExit codes: 0 rolled back (or nothing to do), 1 no usable plan in DIR, 2 usage, 4 rollback incomplete (see DIR/MANUAL-STEPS.md).')
    .action(async (dir: string, opts: import('./rollback.js').RollbackOptions) => {
      const { rollbackCommand } = await import('./rollback.js');
      setExit(await rollbackCommand(dir, opts, io));
    });

  program
    .command('report')
    .description('the report of a plan directory for the change ticket: summary, fidelity ledger, behaviour table, checklist with evidence, and the cutover timeline (probes per node, downtime gap, steps)')
    .argument('<DIR>', 'a plan directory (plan.json, report.md; journal.ndjson and probes after migrate; check.json from check --json)')
    .addOption(new Option('--format <FORMAT>', 'output format').choices(['md', 'html', 'json']).default('md'))
    .option('-o, --output <FILE>', 'write the report to FILE instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  ka2pcmk report plan/                                 # markdown on stdout
  ka2pcmk report plan/ --format html -o cutover.html   # one self-contained page, timeline as SVG
  ka2pcmk report plan/ --format json | jq '.migration'

Exit codes: 0 written, 1 DIR holds no usable plan.json, 2 usage.`,
    )
    .action(async (dir: string, opts: import('./report.js').ReportOptions) => {
      const { report } = await import('./report.js');
      setExit(await report(dir, opts, io));
    });

  program
    .command('completion')
    .description('print a shell completion script (generated from this command line, so it stays in sync)')
    .addArgument(new Argument('<SHELL>', 'the shell').choices(['bash', 'zsh']))
    .addHelpText(
      'after',
      `
Examples:
  source <(ka2pcmk completion bash)                           # this shell only
  ka2pcmk completion bash > /etc/bash_completion.d/ka2pcmk    # every new bash
  ka2pcmk completion zsh > "\${fpath[1]}/_ka2pcmk"              # zsh (then: compinit)

Exit codes: 0 printed, 2 usage.`,
    )
    .action(async (shell: string, _opts: unknown, cmd: Command) => {
      const { completion } = await import('./completion.js');
      setExit(completion(shell, cmd.parent ?? program, io));
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
