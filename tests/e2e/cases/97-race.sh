# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# e2e-timeout: 300
# tests/tools/nlrace: start, stop, destroy, create, console, stats and get
# racing on one VM from three threads, at real-time priority and not,
# pinned to one CPU and spread over two; no request may block longer than
# 10 s (a stop takes milliseconds). Late in the suite on purpose: a request
# that blocks for ever wedges the module, and the cases after it with it.
. /test/lib.sh

dmesg_mark
require_module || { fail race "module not loaded"; exit 0; }
rounds=${RACE_ROUNDS:-1000}
t0=$(date +%s)
# Not waited on directly: a request blocked in the kernel keeps the process
# from ever exiting, so poll for it and read the verdict from the file.
nlrace --rounds "$rounds" --threads 3 --bound 10 --seed 1 </dev/null >/tmp/race.out 2>&1 &
pid=$!
limit=240
while kill -0 "$pid" 2>/dev/null && [ $(($(date +%s) - t0)) -lt "$limit" ]; do
	grep -q '^FAIL' /tmp/race.out && break
	sleep 1
done
sleep 1
echo "race: $(($(date +%s) - t0)) s"
grep -E '^nlrace:' /tmp/race.out
if grep -q '^FAIL' /tmp/race.out; then
	grep -A 12 '^FAIL' /tmp/race.out | head -n 16
	fail race "$(grep '^FAIL' /tmp/race.out | head -n 1)"
elif kill -0 "$pid" 2>/dev/null; then
	fail race "nlrace did not finish in $limit s: $(tail -n 2 /tmp/race.out)"
elif ! wait "$pid"; then
	fail race "nlrace failed: $(tail -n 3 /tmp/race.out)"
else
	pass race
fi
bad=$(dmesg_new | dmesg_bad)
check race-dmesg-clean "$bad"
