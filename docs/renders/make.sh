#!/usr/bin/env bash
# Re-make the reference renders of docs/documents.md from a fresh demo database:
#   bash docs/renders/make.sh            (needs pingyi installed, and pdftoppm from poppler-utils)
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
# 廉洁指数 from a closed 双定双评 room (the demo holds no 民主评廉 room) and entered scores:
# 刘某 75.48 and 黄超文 79.50, both below 80 → two talks; 刘某's is held (talk-done), 黄超文's pending.
"${j1[@]}" integrity score WHJC05 --year 2026 --manual 72 --grade 基本称职 >/dev/null
"${j1[@]}" integrity score CZ09 --year 2026 --manual 65 --grade 称职 >/dev/null
"${j1[@]}" integrity compute 2026 --room R2602 --person WHJC05 >/dev/null
"${j1[@]}" integrity compute 2026 --room R2602 --person CZ09 >/dev/null
"${j1[@]}" talks record 1 --by 纪委副书记周某 --recorder 李某 --date 2026-11-20 --time 09:30 \
  --place 县纪委第一谈话室 --pledge --pdf talk-done.pdf \
  --notes "指出其所在单位执法检查记录不全、个别案件办理超期的问题，要求其认真反思，落实“一岗双责”。
要求一个月内书面报告整改情况。" --statement "完全接受组织谈话提醒，认真整改，按期报告。" >/dev/null
"${j1[@]}" talks pdf 2 --pdf talk-pending.pdf >/dev/null
"${j1[@]}" export year 2026 --xlsx year.xlsx --pdf year-summary.pdf >/dev/null
for f in notice-blue notice-rectify result-sheet public-sheet year-summary talk-done talk-pending; do
  rm -f "$out/$f"-*.png
  pdftoppm -r 60 -png "$f.pdf" "$out/$f"
done
ls "$out"
