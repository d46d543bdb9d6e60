#!/usr/bin/env bash
# Benchmark (not a test): the transport of `secure-update apply` against stock `curl`, both fetching from
# the same private nginx on loopback, with the feed in the page cache. Paired runs (the commands of a row
# alternate, their order rotating every round), medians, and one ratio per row:
#   1  fresh apply of one 1 GiB file            vs  curl -o F && sync F
#   2  fresh apply of 2,000 files (~67 MB)      vs  curl -Z -K LIST (parallel, no fsync), and the same + fsync of each file
#   3  update v1 -> v2, 1 of 2,000 changed      vs  a fresh v2 apply (time), and changed bytes + pointer + manifest (bytes fetched);
#      also the same update with --no-hard-links (unchanged files copied where the file system cannot clone them)
#   4  peak memory (max RSS) of a 1 GiB apply   vs  a 64 MiB apply
#   5  resume: apply of the 1 GiB file throttled and killed (-9) at about half, then run again unthrottled:
#      bytes the second run fetched vs the file size
#
#   bench/transport.sh [EXE]     EXE: the secure-update executable to measure (default: artifacts/native/secure-update,
#                                published there first when missing); it also builds the feeds (keygen, trust, release)
# Environment:
#   BENCH_RUNS=N      paired rounds per row (default 5), after one unmeasured warm-up round
#   BENCH_ROWS="1 3"  the rows to run (default "1 2 3 4 5")
#   BENCH_SMALL=1     quick check of the script itself: 64 MiB instead of 1 GiB, 8 MiB instead of 64 MiB, 200 files
#   BENCH_TMPDIR=DIR  where feeds, targets and curl's files go (default TMPDIR or /tmp); one file system for all
#   BENCH_FS=ext4|xfs feeds, targets and curl's files on a fresh file system of that kind instead, loop-mounted from a
#                     sparse image in the work folder (direct I/O to it; ext4 with its journal, xfs with reflink); root only
# Needs nginx, curl and GNU time: nginx and time are installed from Debian (apt-get) when missing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${BENCH_RUNS:-5}"
rows="${BENCH_ROWS:-1 2 3 4 5}"
small="${BENCH_SMALL:-0}"

fail() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

[[ "$runs" =~ ^[1-9][0-9]*$ ]] || fail "BENCH_RUNS must be a whole number of at least 1, not '$runs'."
for row in $rows; do
  [[ "$row" =~ ^[1-5]$ ]] || fail "BENCH_ROWS lists rows 1 to 5, not '$row'."
done
has_row() { [[ " $rows " == *" $1 "* ]]; }

if [ "$small" = 1 ]; then
  big=$((64 << 20)); big_label="64 MiB"; mid=$((8 << 20)); mid_label="8 MiB"; many=200
else
  big=$((1 << 30)); big_label="1 GiB"; mid=$((64 << 20)); mid_label="64 MiB"; many=2000
fi

# --- the executable under test ---------------------------------------------------------------------------
if [ $# -ge 1 ]; then
  exe="$1"
  [ -x "$exe" ] || fail "'$exe' is not an executable file."
else
  exe="$root/artifacts/native/secure-update"
  if [ ! -x "$exe" ]; then
    note "publishing the native executable into artifacts/native"
    dotnet publish "$root/src/SecureUpdate.Cli" -c Release -r linux-x64 -o "$root/artifacts/native" --nologo -v quiet -clp:NoSummary
  fi
fi
exe="$(realpath "$exe")"

# --- tools: nginx and GNU time from Debian when missing ----------------------------------------------------
policy_made=""
work=""
nginx_pid=""
su_pid=""
mounted=""
loop_device=""

cleanup() {
  set +e
  if [ -n "$su_pid" ]; then kill -9 "$su_pid" 2> /dev/null; wait "$su_pid" 2> /dev/null; fi
  if [ -n "$nginx_pid" ]; then kill -TERM "$nginx_pid" 2> /dev/null; wait "$nginx_pid" 2> /dev/null; fi
  if [ -n "$policy_made" ]; then as_root rm -f "$policy_made"; fi
  if [ -n "$mounted" ]; then umount "$mounted"; fi
  if [ -n "$loop_device" ]; then losetup -d "$loop_device"; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_from_debian() {
  command -v apt-get > /dev/null || fail "$* missing and no apt-get to install it with."
  note "installing $* from Debian"
  # Debian's nginx package starts the system service on port 80 when installed; a policy-rc.d that denies
  # every start (exit 101) keeps it stopped. It is removed again on exit unless it was there before.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d > /dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    policy_made=/usr/sbin/policy-rc.d
  fi
  as_root apt-get update -qq > /dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" > /dev/null
  if [ -n "$policy_made" ]; then as_root rm -f "$policy_made"; policy_made=""; fi
}

nginx_bin="$(command -v nginx || true)"
if [ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ]; then nginx_bin=/usr/sbin/nginx; fi   # not on a user's PATH
if [ -z "$nginx_bin" ]; then install_from_debian nginx; nginx_bin=/usr/sbin/nginx; fi
[ -x /usr/bin/time ] || install_from_debian time
command -v curl > /dev/null || install_from_debian curl

# --- work folder, one file system for feeds, targets and curl's files ---------------------------------------
work="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/secure-update-bench.XXXXXX")"
need=$(( (4 * big + mid * 3 + many * 34000 * 8) / 1024 ))
avail=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
[ "$avail" -gt "$need" ] || fail "$((avail >> 10)) MiB free under $(dirname "$work"); the benchmark needs about $((need >> 10)) MiB (BENCH_TMPDIR picks another place)."

# BENCH_FS: a fresh file system, so that no earlier work on the machine's own (fragmentation, inodes freed moments ago)
# shows in the numbers. Direct I/O from the loop device to its image keeps the page cache out of the way twice over.
data="$work"
if [ -n "${BENCH_FS:-}" ]; then
  case "$BENCH_FS" in ext4 | xfs) ;; *) fail "BENCH_FS is ext4 or xfs, not '$BENCH_FS'." ;; esac
  [ "$(id -u)" = 0 ] || fail "BENCH_FS needs root (losetup and mount)."
  if ! command -v "mkfs.$BENCH_FS" > /dev/null; then
    if [ "$BENCH_FS" = xfs ]; then install_from_debian xfsprogs; else install_from_debian e2fsprogs; fi
  fi
  truncate -s "$(( (need + (1 << 20)) * 1024 ))" "$work/fs.img"
  loop_device="$(losetup --direct-io=on --find --show "$work/fs.img")"
  if [ "$BENCH_FS" = xfs ]; then
    mkfs.xfs -q -m reflink=1 "$loop_device"
  else
    # inode tables and the journal written now, not by a background thread during the rows
    mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0 "$loop_device"
  fi
  mkdir "$work/fs"
  mount "$loop_device" "$work/fs"
  mounted="$work/fs"
  data="$work/fs"
fi
www="$data/www"       # what nginx serves: one feed per folder
dest="$data/dest"     # apply targets and curl's downloads
mkdir -p "$www" "$dest" "$work/nginx" "$work/keys"

# --- a private nginx on loopback ----------------------------------------------------------------------------
access_log="$work/nginx/access.log"
throttle_flag="$work/nginx/throttle"
throttle_rate=$(( big / 4 ))   # bytes per second: about 2 s to reach half of the big file

start_nginx() {
  local port attempt user_line=""
  if [ "$(id -u)" = 0 ]; then user_line="user root;"; fi   # workers read the owner-only work folder
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$(( 20000 + RANDOM % 40000 ))
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then continue; fi
    cat > "$work/nginx/nginx.conf" << EOF
$user_line
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $work/nginx/client_body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  # one line per request, the bytes of the body sent first: what each client fetched
  log_format bench '\$body_bytes_sent \$status "\$request" "\$http_range"';
  access_log $access_log bench;
  server {
    listen 127.0.0.1:$port;
    root $www;
    # throttled (row 5) while the flag file exists
    set \$bench_rate 0;
    if (-f $throttle_flag) { set \$bench_rate $throttle_rate; }
    limit_rate \$bench_rate;
    location / { }
  }
}
EOF
    "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
    nginx_pid=$!
    for _ in $(seq 1 50); do
      if ! kill -0 "$nginx_pid" 2> /dev/null; then break; fi
      if curl -s -o /dev/null "http://127.0.0.1:$port/"; then base="http://127.0.0.1:$port"; return 0; fi
      sleep 0.1
    done
    kill -TERM "$nginx_pid" 2> /dev/null || true
    wait "$nginx_pid" 2> /dev/null || true
    nginx_pid=""
    grep -q 'in use' "$work/nginx/error.log" 2> /dev/null || { cat "$work/nginx/error.log" >&2 || true; fail "nginx did not start (attempt $attempt)."; }
  done
  fail "no free loopback port found for nginx."
}

log_lines() { if [ -f "$access_log" ]; then wc -l < "$access_log"; else echo 0; fi; }
# log_bytes_since MARK: body bytes nginx sent for the requests logged after line MARK
log_bytes_since() { tail -n "+$(( $1 + 1 ))" "$access_log" | awk '{ s += $1 } END { printf "%d\n", s }'; }
# log_settle: nginx logs an aborted request once it sees the connection closed; wait until the log is still
log_settle() {
  local before after i
  before=$(log_lines)
  for i in $(seq 1 25); do
    sleep 0.2
    after=$(log_lines)
    [ "$after" != "$before" ] || return 0
    before=$after
  done
}

# --- measuring ----------------------------------------------------------------------------------------------
# timed CMD...: runs CMD and sets elapsed_us to its wall-clock microseconds
# and timed_status to its exit status
elapsed_us=0
timed_status=0
timed() {
  local start end
  timed_status=0
  start=${EPOCHREALTIME/./}
  "$@" || timed_status=$?
  end=${EPOCHREALTIME/./}
  elapsed_us=$(( end - start ))
}

declare -A samples=()
# round_robin KEY... : BENCH_RUNS rounds (after one warm-up round) of prep_KEY (untimed, then sync) and
# run_KEY (timed) for every KEY, the order rotating each round so no command always goes first
round_robin() {
  local keys=("$@") n=$# round i key
  for ((round = 0; round <= runs; round++)); do
    for ((i = 0; i < n; i++)); do
      key=${keys[(round + i) % n]}
      "prep_$key"
      sync
      : > "$work/apply.err"
      timed "run_$key"
      [ "$timed_status" = 0 ] || fail "run_$key exited with $timed_status: $(cat "$work/apply.err" 2> /dev/null)"
      "check_$key"
      if [ "$round" -gt 0 ]; then samples[$key]+="$elapsed_us "; fi
    done
    if [ "$round" -gt 0 ]; then note "  round $round/$runs done"; fi
  done
}

# median "A B C ...": the median of space-separated numbers
median() { tr -s ' ' '\n' <<< "$1" | awk 'NF' | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
secs() { awk -v us="$1" 'BEGIN { printf "%.3f s", us / 1e6 }'; }
mib() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MiB", b / 1048576; else printf "%.1f KiB", b / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }

table=()
# add_row LABEL SU REFERENCE RATIO GOAL
add_row() { table+=("$(printf '%-44s %13s  %13s  %-34s %7s  %s' "$1" "$2" "$3" "$4" "$5" "$6")"); }

# --- the executable's commands ---------------------------------------------------------------------------------
trust_doc="$work/keys/root-1.json"
# apply_to FEED TARGET [--app APP]: one apply with --json; its output in $work/apply.json and apply.err
apply_to() {
  local feed="$1" target="$2"
  shift 2
  "$exe" apply --feed "$base/$feed" --trust "$trust_doc" --target "$target" --json "$@" > "$work/apply.json" 2> "$work/apply.err"
}
# expect OUTCOME: the last apply succeeded with this outcome
expect() {
  grep -Eq "\"outcome\" *: *\"$1\"" "$work/apply.json" \
    || fail "apply did not end '$1': $(cat "$work/apply.json" "$work/apply.err")"
}

# release_folder FEED APP VERSION INPUT: a signed release into www/FEED, with the trust root published there
release_folder() {
  "$exe" release --feed "$www/$1" --app "$2" --version "$3" --input "$4" --key "$work/keys/release.key" > /dev/null
  if [ ! -e "$www/$1/trust/1.json" ]; then "$exe" trust publish --feed "$www/$1" "$trust_doc" > /dev/null; fi
}

# many_files DIR COUNT: COUNT files of varied sizes (256 B to ~66 KB, ~33.5 KB on average) in 20 sub-folders
many_files() {
  local dir="$1" count="$2" i total=0 size
  for i in $(seq 0 19); do mkdir -p "$dir/d$i"; done
  for ((i = 1; i <= count; i++)); do total=$(( total + 256 + (i * 7919) % 66500 )); done
  head -c "$total" /dev/urandom > "$work/pool"
  {
    for ((i = 1; i <= count; i++)); do
      size=$(( 256 + (i * 7919) % 66500 ))
      head -c "$size" > "$dir/d$(( i % 20 ))/f$i.bin"
    done
  } < "$work/pool"
  rm -f "$work/pool"
}

# --- header ------------------------------------------------------------------------------------------------------
fs="$( (findmnt -n -o FSTYPE,SOURCE -T "$data" 2> /dev/null || df -PT "$data" | awk 'NR == 2 { print $2, $1 }') | tr -s ' ')"
echo "secure-update transport benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo "  machine:     $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory"
echo "  kernel:      $(uname -sr)"
echo "  file system: $fs (feeds, targets and curl's files)"
echo "  measured:    $exe ($("$exe" --version 2> /dev/null | head -1))"
echo "  reference:   $(curl --version | head -1 | cut -d' ' -f1-2), $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //') on 127.0.0.1"
echo "  runs:        $runs paired round(s) per row after one warm-up round, medians; feed files in the page cache$([ "$small" = 1 ] && echo "; SMALL sizes")"

start_nginx

# --- feeds ---------------------------------------------------------------------------------------------------------
note "building the feeds"
"$exe" keygen --out "$work/keys" --name root > /dev/null
"$exe" keygen --out "$work/keys" --name release > /dev/null
"$exe" trust init --out "$trust_doc" --root-key "$work/keys/root.pub" --release-key "$work/keys/release.pub" > /dev/null
"$exe" sign --key "$work/keys/root.key" "$trust_doc" > /dev/null

if has_row 1 || has_row 4 || has_row 5; then
  mkdir -p "$work/in/big"
  head -c "$big" /dev/urandom > "$work/in/big/app.bin"
  release_folder big big 1.0.0 "$work/in/big"
  rm -rf "$work/in/big"
  big_blob="$(find "$www/big/blobs" -type f -size "${big}c" | head -1)"
  [ -n "$big_blob" ] || fail "the big release holds no blob of $big bytes."
  big_url="$base/big/blobs/sha256/$(basename "$big_blob")"
fi
if has_row 4; then
  mkdir -p "$work/in/mid"
  head -c "$mid" /dev/urandom > "$work/in/mid/app.bin"
  release_folder mid mid 1.0.0 "$work/in/mid"
  rm -rf "$work/in/mid"
fi
if has_row 2 || has_row 3; then
  many_files "$work/in/many" "$many"
  many_bytes=$(find "$work/in/many" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d\n", s }')
  release_folder many-v1 many 1.0.0 "$work/in/many"
  # v2: the same tree with one file of about the average size rewritten: same size, new bytes
  pick=$(( many / 2 ))
  while [ $(( 256 + (pick * 7919) % 66500 )) -lt 32768 ]; do pick=$(( pick + 1 )); done
  changed="$work/in/many/d$(( pick % 20 ))/f$pick.bin"
  changed_bytes=$(stat -c %s "$changed")
  head -c "$changed_bytes" /dev/urandom > "$changed"
  cp -a "$www/many-v1" "$www/many-v2"
  release_folder many-v2 many 2.0.0 "$work/in/many"
  # curl's list: one url/output pair per file, the blob of each file by its SHA-256
  curl_list="$work/curl-many.txt"
  curl_files=()
  printf 'fail\ncreate-dirs\n' > "$curl_list"
  while read -r hash path; do
    rel="${path#"$work/in/many/"}"
    printf 'url = "%s/many-v2/blobs/sha256/%s"\noutput = "%s/curl-many/%s"\n' "$base" "$hash" "$dest" "$rel" >> "$curl_list"
    curl_files+=("$dest/curl-many/$rel")
  done < <(find "$work/in/many" -type f -print0 | xargs -0 sha256sum)
  rm -rf "$work/in/many"
fi
data=""
if [ -n "${big_blob:-}" ]; then data+="one $big_label file; "; fi
if has_row 4; then data+="one $mid_label file; "; fi
if [ -n "${curl_list:-}" ]; then data+="$many files, $(mib "$many_bytes") in all, one of $(mib "$changed_bytes") changed in v2"; fi
echo "  data:        ${data%; }"

# the page cache: every feed file read once
find "$www" -type f -exec cat {} + > /dev/null

# --- row 1: one big file --------------------------------------------------------------------------------------------
if has_row 1; then
  note "row 1: fresh apply of one $big_label file vs curl -o F && sync F"
  prep_su1() { rm -rf "$dest/su1"; }
  run_su1() { apply_to big "$dest/su1" --app big; }
  check_su1() { expect installed; }
  prep_curl1() { rm -f "$dest/curl1.bin"; }
  run_curl1() { curl -sS --fail -o "$dest/curl1.bin" "$big_url" && sync "$dest/curl1.bin"; }
  check_curl1() { [ "$(stat -c %s "$dest/curl1.bin")" = "$big" ] || fail "curl fetched a short file."; }
  round_robin su1 curl1
  rm -rf "$dest/su1" "$dest/curl1.bin"
  s=$(median "${samples[su1]}"); c=$(median "${samples[curl1]}")
  add_row "1  fresh apply, one $big_label file" "$(secs "$s")" "$(secs "$c")" "curl -o F && sync F" "$(ratio "$s" "$c")" "<= 1.03x"
fi

# --- row 2: many files ------------------------------------------------------------------------------------------------
if has_row 2; then
  note "row 2: fresh apply of $many files vs curl -Z -K (without and with fsync of each file)"
  prep_su2() { rm -rf "$dest/su2"; }
  run_su2() { apply_to many-v2 "$dest/su2" --app many; }
  check_su2() { expect installed; }
  prep_curl2() { rm -rf "$dest/curl-many"; }
  run_curl2() { curl --no-progress-meter -Z -K "$curl_list"; }
  check_curl2() { [ "$(find "$dest/curl-many" -type f | wc -l)" = "$many" ] || fail "curl fetched fewer than $many files."; }
  prep_curl2sync() { prep_curl2; }
  run_curl2sync() { curl --no-progress-meter -Z -K "$curl_list" && sync "${curl_files[@]}"; }
  check_curl2sync() { check_curl2; }
  round_robin su2 curl2 curl2sync
  rm -rf "$dest/su2" "$dest/curl-many"
  s=$(median "${samples[su2]}"); c=$(median "${samples[curl2]}"); f=$(median "${samples[curl2sync]}")
  add_row "2a fresh apply, $many files ($(mib "$many_bytes"))" "$(secs "$s")" "$(secs "$c")" "curl -Z -K (parallel, no fsync)" "$(ratio "$s" "$c")" "<= 1.5x"
  add_row "2b   same" "$(secs "$s")" "$(secs "$f")" "curl -Z -K + fsync of each file" "$(ratio "$s" "$f")" ""
fi

# --- row 3: an update with one file changed ------------------------------------------------------------------------------
if has_row 3; then
  note "row 3: update v1 -> v2 ($many files, 1 changed) vs a fresh v2 apply"
  update_fetched=""
  prep_update() { rm -rf "$dest/su3"; apply_to many-v1 "$dest/su3" --app many; expect installed; update_mark=$(log_lines); }
  run_update() { apply_to many-v2 "$dest/su3"; }
  check_update() { expect updated; update_fetched+="$(log_bytes_since "$update_mark") "; }
  # the same update with --no-hard-links: unchanged files copied (and hashed) rather than linked on a file system without reflinks
  prep_updatecopy() { rm -rf "$dest/su3c"; apply_to many-v1 "$dest/su3c" --app many; expect installed; }
  run_updatecopy() { apply_to many-v2 "$dest/su3c" --no-hard-links; }
  check_updatecopy() { expect updated; }
  prep_fresh3() { rm -rf "$dest/fresh3"; }
  run_fresh3() { apply_to many-v2 "$dest/fresh3" --app many; }
  check_fresh3() { expect installed; }
  round_robin update updatecopy fresh3
  rm -rf "$dest/su3" "$dest/su3c" "$dest/fresh3"
  s=$(median "${samples[update]}"); c=$(median "${samples[fresh3]}"); k=$(median "${samples[updatecopy]}")
  add_row "3a update v1->v2, 1 of $many files changed" "$(secs "$s")" "$(secs "$c")" "fresh v2 apply" "$(ratio "$s" "$c")" "<= 0.3x"
  # what an update has to fetch: the changed file, the channel pointer and the manifest, each with its signatures
  wanted=$(( changed_bytes + $(cat "$www/many-v2/many/stable/channel.json" "$www/many-v2/many/stable/channel.json.sig" \
    "$www/many-v2/many/stable/manifests/2.0.0.json" "$www/many-v2/many/stable/manifests/2.0.0.json.sig" | wc -c) ))
  # the warm-up round's update is not counted: drop the first value
  fetched=$(median "$(echo "$update_fetched" | cut -d' ' -f2-)")
  add_row "3b bytes fetched by that update" "$(mib "$fetched")" "$(mib "$wanted")" "changed + pointer + manifest" "$(ratio "$fetched" "$wanted")" "<= 1.05x"
  add_row "3c update as 3a, apply --no-hard-links" "$(secs "$k")" "$(secs "$c")" "fresh v2 apply" "$(ratio "$k" "$c")" ""
fi

# --- row 4: peak memory ---------------------------------------------------------------------------------------------------
if has_row 4; then
  note "row 4: peak memory of a $big_label vs a $mid_label apply"
  rss_big=""; rss_mid=""
  prep_rssbig() { rm -rf "$dest/su4"; }
  run_rssbig() { /usr/bin/time -f %M -o "$work/rss" "$exe" apply --feed "$base/big" --trust "$trust_doc" --target "$dest/su4" --app big --json > "$work/apply.json" 2> "$work/apply.err"; }
  check_rssbig() { expect installed; rss_big+="$(cat "$work/rss") "; }
  prep_rssmid() { rm -rf "$dest/su4"; }
  run_rssmid() { /usr/bin/time -f %M -o "$work/rss" "$exe" apply --feed "$base/mid" --trust "$trust_doc" --target "$dest/su4" --app mid --json > "$work/apply.json" 2> "$work/apply.err"; }
  check_rssmid() { expect installed; rss_mid+="$(cat "$work/rss") "; }
  round_robin rssbig rssmid
  rm -rf "$dest/su4"
  b=$(median "$(echo "$rss_big" | cut -d' ' -f2-)"); m=$(median "$(echo "$rss_mid" | cut -d' ' -f2-)")
  add_row "4  peak memory, $big_label vs $mid_label apply" "$(mib $(( ${b%.*} * 1024 )))" "$(mib $(( ${m%.*} * 1024 )))" "max RSS of the $mid_label apply" "$(ratio "$b" "$m")" "flat"
fi

# --- row 5: resume after a kill ---------------------------------------------------------------------------------------------
if has_row 5; then
  note "row 5: apply of the $big_label file throttled to $(mib "$throttle_rate")/s, killed at about half, run again"
  second=""; first=""; second_time=""
  for ((round = 1; round <= runs; round++)); do
    rm -rf "$dest/su5"
    sync
    touch "$throttle_flag"
    mark=$(log_lines)
    "$exe" apply --feed "$base/big" --trust "$trust_doc" --target "$dest/su5" --app big --json > "$work/apply.json" 2> "$work/apply.err" &
    su_pid=$!
    # the bytes it has written (wchar in /proc/PID/io) follow the download: kill at half; should they not
    # show, kill after 3 s anyway (the throttle serves half the file in 2 s, all of it in 4 s)
    deadline=$(( ${EPOCHREALTIME/./} + 3000000 ))
    written=0
    while kill -0 "$su_pid" 2> /dev/null && [ "$written" -lt $(( big / 2 )) ] && [ "${EPOCHREALTIME/./}" -lt "$deadline" ]; do
      written=$(awk '/^wchar:/ { print $2 }' "/proc/$su_pid/io" 2> /dev/null || echo 0)
      written=${written:-0}
      sleep 0.02
    done
    kill -9 "$su_pid" 2> /dev/null || true
    first_status=0
    wait "$su_pid" 2> /dev/null || first_status=$?
    su_pid=""
    rm -f "$throttle_flag"
    if [ "$first_status" != 137 ]; then
      note "  round $round/$runs: the first run ended (exit $first_status) before the kill; this round measures nothing"
      continue
    fi
    # nginx logs the cut request when it next writes to the closed connection: wait for that line
    for _ in $(seq 1 50); do
      if tail -n "+$(( mark + 1 ))" "$access_log" | grep -q "$(basename "$big_blob")"; then break; fi
      sleep 0.1
    done
    log_settle
    first+="$(log_bytes_since "$mark") "
    mark=$(log_lines)
    timed apply_to big "$dest/su5" --app big
    [ "$timed_status" = 0 ] || fail "the second apply exited with $timed_status: $(cat "$work/apply.err")"
    expect installed
    second+="$(log_bytes_since "$mark") "
    second_time+="$elapsed_us "
    note "  round $round/$runs: killed after $(mib "$(echo "$first" | awk '{ print $NF }')") served; the second run fetched $(mib "$(echo "$second" | awk '{ print $NF }')") in $(secs "$elapsed_us")"
  done
  rm -rf "$dest/su5"
  [ -n "$second" ] || fail "row 5: no round interrupted the first run."
  f=$(median "$first"); s=$(median "$second")
  add_row "5  resume: 2nd run after a kill at $(mib "$f")" "$(mib "$s")" "$(mib "$big")" "the file size" "$(ratio "$s" "$big")" "<= 0.6x"
  samples[resume2]="$second_time"
fi

# --- the table ---------------------------------------------------------------------------------------------------------------
echo
printf '%-44s %13s  %13s  %-34s %7s  %s\n' "row" "SecureUpdate" "reference" "reference is" "ratio" "goal"
printf '%s\n' "${table[@]}"
echo
echo "samples (seconds, in the order run):"
for key in su1 curl1 su2 curl2 curl2sync update updatecopy fresh3 resume2; do
  if [ -n "${samples[$key]:-}" ]; then
    printf '  %-10s %s\n' "$key" "$(awk '{ for (i = 1; i <= NF; i++) printf "%.3f ", $i / 1e6 }' <<< "${samples[$key]}")"
  fi
done
