#!/usr/bin/env bash
# Prints real syslog headers around real nova lines, for the samples of the
# `syslog rfc5424` and `syslog rfc3164` formats in parsers/prefixes.ts:
# util-linux `logger` sends each line to a TCP listener (socat), which stores
# it as a receiver does, one message a line. The host name is set in a UTS
# namespace of its own (needs root). logger cannot be told the time: the
# headers carry the moment the script ran.
#
#   bash scripts/make-syslog-samples.sh [../shared]
set -euo pipefail
shared=${1:-../shared}
edpm=$(grep -m1 -o 'nova_compute\[354378\]: .*' "$shared/corpus/real/bug-report-excerpts/openstack-k8s-operators__nova-operator__pr1001.journal.log" | sed 's/^nova_compute\[354378\]: //')
leg=$(sed -n 2p "$shared/corpus/real/bug-report-excerpts/lxc__lxc__issue1786.nova-scheduler.journal.log" | sed 's/^.*nova-scheduler\[15128\]: //')
out=$(mktemp)
port=$((50000 + RANDOM % 10000))
socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "OPEN:$out,creat,append" &
listener=$!
trap 'kill $listener 2>/dev/null; rm -f "$out"' EXIT
sleep 0.5
send() { # host tag pid format message
  unshare -u sh -c 'hostname "$1"; shift; logger --tcp -n 127.0.0.1 -P "$1" "$4" -t "$2" --id="$3" -p daemon.err "$5"' _ "$1" "$port" "$2" "$3" "$4" "$5"
}
send edpm-compute-0 nova_compute 354378 --rfc5424 "$edpm"
send edpm-compute-0 nova_compute 354378 --rfc5424=notime "$edpm"
send edpm-compute-0 nova_compute 354378 --rfc3164 "$edpm"
send leg-004 nova-scheduler 15128 --rfc5424 "$leg"
send leg-004 nova-scheduler 15128 --rfc3164 "$leg"
sleep 0.5
logger --version >&2
cat "$out"
