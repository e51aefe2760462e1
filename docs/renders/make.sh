#!/usr/bin/env bash
# Re-make the reference renders of docs/documents.md from a fresh demo database:
#   bash docs/renders/make.sh            (needs pingyi installed, and pdftoppm from poppler-utils)
# The talk-record renders (talk-*.png) come from the tests' sample data and are not made here.
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pingyi demo --path "$work" --no-ui --seed 2026 >/dev/null
export PINGYI_DB="$work/pingyi-demo.db" PINGYI_TODAY=2026-11-26
j1=(env PINGYI_USER=jiwei1 PINGYI_PASSWORD=demo-jiwei1-2026 pingyi)
j2=(env PINGYI_USER=jiwei2 PINGYI_PASSWORD=demo-jiwei2-2026 pingyi)
"${j1[@]}" warnings draft --proposal 1 >/dev/null
"${j2[@]}" warnings approve 1 >/dev/null
"${j1[@]}" warnings draft --target CZ02 --level yellow --form 整改通知书 \
  --reason "2026年度明查暗访中发现上班时间擅离岗位3次，经提醒仍未改正。" >/dev/null
"${j2[@]}" warnings approve 2 >/dev/null
"${j1[@]}" warnings notice 1 --pdf notice-blue.pdf >/dev/null
"${j1[@]}" warnings notice 2 --kind rectify --pdf notice-rectify.pdf >/dev/null
"${j1[@]}" tally R2602 --pdf result-sheet.pdf >/dev/null
"${j1[@]}" tally R2602 --pdf public-sheet.pdf --public >/dev/null
"${j1[@]}" export year 2026 --xlsx year.xlsx --pdf year-summary.pdf >/dev/null
for f in notice-blue notice-rectify result-sheet public-sheet year-summary; do
  rm -f "$out/$f"-*.png
  pdftoppm -r 60 -png "$f.pdf" "$out/$f"
done
ls "$out"
