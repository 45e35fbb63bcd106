#!/bin/sh
# Downloads MNIST, CIFAR-10 (binary version) and SVHN (cropped digits) from their sites into
# DATA_DIR in the layouts the chapters read, and checks every file's digest (checksums.txt).
# Files already present with the right digest are kept. Usage: tools/data/fetch.sh DATA_DIR
set -u
dir=${1:?usage: fetch.sh DATA_DIR}
here=$(dirname "$0")
list="$here/checksums.txt"
if command -v curl >/dev/null 2>&1; then get() { curl -fL --retry 2 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then get() { wget -O "$2" "$1"; }
else echo "error: neither curl nor wget is installed; install one (sudo apt-get install curl)" >&2; exit 1; fi
digest() { if [ "$1" = sha256 ]; then sha256sum "$2" | cut -d' ' -f1; else md5sum "$2" | cut -d' ' -f1; fi; }
failed=0
while read -r algo want path urls; do
  case "$algo" in ''|\#*) continue ;; esac
  file="$dir/$path"
  mkdir -p "$(dirname "$file")"
  if [ -f "$file" ] && [ "$(digest "$algo" "$file")" = "$want" ]; then echo "have $file"; continue; fi
  done=0
  for url in $urls; do
    echo "downloading $url"
    # Into a temporary file, renamed only once its digest matches: an interrupted or wrong download never
    # replaces anything.
    if get "$url" "$file.part" && [ "$(digest "$algo" "$file.part")" = "$want" ]; then
      mv "$file.part" "$file"; done=1; break
    fi
    echo "warning: $url failed or gave a file with the wrong $algo digest" >&2
  done
  rm -f "$file.part"
  if [ "$done" -ne 1 ]; then failed=$((failed + 1)); echo "error: could not get $path with $algo $want; check the network and rerun 'make data'" >&2; fi
done < "$list"
# CIFAR-10 is read unpacked, as cifar-10-batches-bin/.
tarball="$dir/downloads/cifar-10-binary.tar.gz"
if [ -f "$tarball" ] && [ ! -f "$dir/cifar-10-batches-bin/test_batch.bin" ]; then
  echo "unpacking $tarball"
  tar -xzf "$tarball" -C "$dir" || { echo "error: could not unpack $tarball; delete it and rerun 'make data'" >&2; failed=$((failed + 1)); }
fi
[ "$failed" -eq 0 ] && echo "data: every file is in $dir" || { echo "data: $failed file(s) missing" >&2; exit 1; }
