#!/usr/bin/env bash
# Nightly consentry run on a device farm: every ready device of two hosts'
# adb servers, compared with last night's report; the HTML report published;
# a mail when something got worse.
#
# cron (01:30 every night):
#   30 1 * * * /srv/consentry/nightly.sh >> /var/log/consentry-nightly.log 2>&1
set -u
root=/srv/consentry
today=$(date +%F)
out="$root/reports/$today"
baseline="$root/reports/latest/report.json"

consentry run "$root/scenarios" \
  --devices all --adb-server farm1:5037 --adb-server farm2:5037 \
  --retries 1 --durations "$baseline" --out "$out" --quiet
run=$?                      # 0 all pass, 1 rules failed, 3 farm trouble

if [ -f "$baseline" ]; then
  consentry diff --baseline "$baseline" "$out/report.json" > "$out/diff.txt"
  diff=$?                   # 1: new failures or scenarios gone
else
  diff=0
fi

ln -sfn "$out" "$root/reports/latest"                  # tomorrow's baseline
rsync -a "$out/" "reviewer-web:/var/www/consentry/$today/"   # index.html + frames

if [ "$diff" -eq 1 ] || [ "$run" -eq 3 ]; then
  mail -s "consentry $today: regressions or farm trouble" compliance@example.com < "$out/diff.txt"
fi
exit 0
