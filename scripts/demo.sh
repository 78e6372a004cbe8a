#!/usr/bin/env bash
# The main job on the built-in example: install what is needed, build,
# analyse the two-node example offline (one shared keepalived.conf, evaluated once per
# node through its @ lines) and write its plan, then run the whole migration on
# the namespace lab: analyse over ssh, migrate with the VIP probed, check, report,
# roll back, lab down.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
node scripts/bundle.mjs
example=fixtures/examples/pair/keepalived.conf
echo "== keepalived's own verdict (keepalived -t) for each node"
for n in node1 node2; do
  if keepalived -t -f "$example" -i "$n"; then echo "$n: keepalived -t: ok"; else echo "$n: keepalived -t: exit $?"; fi
done
echo
out=$(mktemp -d /tmp/ka2pcmk-demo-XXXXXX)
echo "== ka2pcmk analyze $example --node node1 --node node2 --no-stonith -o $out/plan"
node dist/ka2pcmk.cjs analyze "$example" --node node1 --node node2 --no-stonith -o "$out/plan"
echo
echo "== the plan: $out/plan"
ls -l "$out/plan"
echo
echo "== report.md (summary and behaviour proof)"
sed -n '1,/^## Instances/p' "$out/plan/report.md"
sed -n '/^## Behaviour/,/^## Diagnostics/p' "$out/plan/report.md"

echo
echo "== the whole migration on the namespace lab (scripts/demo-lab.sh)"
exec ./scripts/demo-lab.sh
