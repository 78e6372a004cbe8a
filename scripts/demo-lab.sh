#!/usr/bin/env bash
# The whole story on the lab, for the README's main command (root needed):
# a keepalived pair brought up (VIP, service check, shared disk mounted by its
# notify script), analysed over ssh, migrated onto Pacemaker with the VIP
# probed every 10 ms, checked, reported, rolled back, and the lab taken down.
# Every ka2pcmk command runs in the lab's client namespace, as on a bastion.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo-lab.sh needs root (namespaces, a loop device)" >&2; exit 2; }

DIR=${KA2PCMK_DEMO_LAB_DIR:-/run/ka2pcmk-demo-lab}
PREFIX=ka2demo
work=$(mktemp -d /tmp/ka2pcmk-demo-lab-XXXXXX)
plan=$work/plan
srv_existed=no; [ -e /srv/shared ] && srv_existed=yes

# Take the lab tests' machine-wide lock (src/lab/lock.ts: "PID STARTTIME"), so the
# demo and the lab tests never run labs at the same time.
LOCK=/run/ka2pcmk-lab-tests.lock
starttime() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }
me="$$ $(starttime $$)"
until ( set -o noclobber; echo "$me" > "$LOCK" ) 2>/dev/null; do
  read -r hpid hstart < "$LOCK" 2>/dev/null || continue
  if [ -z "$hpid" ] || [ "$(starttime "$hpid" 2>/dev/null)" != "$hstart" ]; then rm -f "$LOCK"; continue; fi
  echo "waiting for the lab tests (pid $hpid) to finish..." >&2; sleep 2
done

npx tsc -p tsconfig.json >/dev/null 2>&1 || true   # the lab library (type errors elsewhere do not stop the emit)
node scripts/bundle.mjs
lab() { node build/src/lab/cli.js "$@"; }
ka2pcmk() { ip netns exec "$PREFIX-client" node dist/ka2pcmk.cjs "$@"; }

cleanup() {
  echo; echo "== lab down"
  lab down --dir "$DIR" || true
  if [ "$(cat "$LOCK" 2>/dev/null)" = "$me" ]; then rm -f "$LOCK"; fi
  rm -rf "$work"
  if [ "$srv_existed" = no ]; then rmdir /srv/shared 2>/dev/null || true; fi
}
trap cleanup EXIT

echo "== lab up: node1 (VRRP master) and node2, keepalived running, corosync/pacemaker installed only, a shared disk"
lab up --dir "$DIR" --prefix "$PREFIX" --nodes 2 --keepalived fixtures/lab/pair/node1.conf fixtures/lab/pair/node2.conf --shared-disk --cluster installed --replace
dev=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$DIR/state.json','utf8')).sharedDisk)")
for n in node1 node2; do
  install -m 0755 fixtures/lab/pair/shared.sh "$DIR/nodes/$n/fs/etc-keepalived/shared.sh"
  echo "$dev" > "$DIR/nodes/$n/fs/etc-keepalived/shared.dev"
done
lab shell --dir "$DIR" node2 systemctl restart keepalived
lab shell --dir "$DIR" node1 systemctl restart keepalived
for _ in $(seq 1 100); do
  lab shell --dir "$DIR" node1 sh -c 'ip -o addr show | grep -q " 192.0.2.100/" && mountpoint -q /srv/shared' && break
  sleep 0.2
done
ssh=(--identity "$DIR/ssh/id_ed25519" --known-hosts "$DIR/ssh/known_hosts")

echo; echo "== ka2pcmk analyze --host (over ssh: configs, scripts, running state) -o $plan"
ka2pcmk analyze --host node1=root@192.0.2.11 --host node2=root@192.0.2.12 "${ssh[@]}" \
  --no-stonith --cluster-name demo --storage "device=$dev,directory=/srv/shared,fstype=ext4" -o "$plan" | tail -n 8

echo; echo "== ka2pcmk migrate $plan --dry-run (first lines)"
ka2pcmk migrate "$plan" --dry-run "${ssh[@]}" | sed -n '/== cutover/,$p'

echo; echo "== ka2pcmk migrate $plan"
ka2pcmk migrate "$plan" "${ssh[@]}"

echo; echo "== ka2pcmk check $plan"
ka2pcmk check "$plan" "${ssh[@]}" --no-stonith || echo "(check exit $?)"

echo; echo "== report"
if node dist/ka2pcmk.cjs report --help >/dev/null 2>&1; then
  node dist/ka2pcmk.cjs report "$plan" || true
else
  sed -n '1,/^## Instances/p' "$plan/report.md"
fi
grep -h '"type":"probe"' "$plan/journal.ndjson" | node -e '
  const r = JSON.parse(require("fs").readFileSync(0, "utf8")).report;
  console.log(`cutover downtime: ${r.downtimeMs} ms (${r.lost} of ${r.probes} probes lost)` + (r.longest ? `, gap ${new Date(r.longest.start).toISOString()} → ${new Date(r.longest.end).toISOString()}` : ""));'

echo; echo "== ka2pcmk rollback $plan"
ka2pcmk rollback "$plan" "${ssh[@]}"
echo; echo "keepalived is back:"
for n in node1 node2; do
  lab shell --dir "$DIR" "$n" sh -c 'printf "%s: keepalived %s, VIP %s\n" "$(hostname)" "$(systemctl is-active keepalived)" "$(ip -o addr show | grep -q " 192.0.2.100/" && echo held || echo -)"'
done
