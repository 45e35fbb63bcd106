#!/bin/sh
# Checks the data files listed in a checksum list against their digests.
# Usage: tools/data/verify.sh DATA_DIR [CHECKSUMS]   (CHECKSUMS: tools/data/checksums.txt)
# Files that are absent are reported and skipped; a file whose digest differs is an error
# (exit 1), named with the fix. Exit 0 when every present file matches.
set -u
dir=${1:?usage: verify.sh DATA_DIR [CHECKSUMS]}
list=${2:-$(dirname "$0")/checksums.txt}
bad=0; ok=0; missing=0
while read -r algo digest path rest; do
  case "$algo" in ''|\#*) continue ;; esac
  file="$dir/$path"
  if [ ! -f "$file" ]; then missing=$((missing + 1)); echo "absent:   $file"; continue; fi
  case "$algo" in
    sha256) got=$(sha256sum "$file" | cut -d' ' -f1) ;;
    md5) got=$(md5sum "$file" | cut -d' ' -f1) ;;
    *) echo "error: $list: unknown algorithm '$algo' for $path" >&2; exit 2 ;;
  esac
  if [ "$got" = "$digest" ]; then ok=$((ok + 1)); echo "ok:       $file"
  else
    bad=$((bad + 1))
    echo "error: $file has $algo $got, expected $digest: the file is corrupt or not the original; delete it and run 'make data' again" >&2
  fi
done < "$list"
echo "verify: $ok ok, $bad corrupt, $missing absent"
[ "$bad" -eq 0 ]
