#!/bin/sh
# The checksum check, tested without a network: a generated file must verify against its own digest and
# fail after one byte changes; and the real MNIST files, when a local copy exists (AGE_DATA), must verify.
set -u
here=$(dirname "$0")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/d/x"
printf 'age data check\n' > "$tmp/d/x/file.bin"
echo "sha256 $(sha256sum "$tmp/d/x/file.bin" | cut -d' ' -f1) x/file.bin http://example.invalid/file.bin" > "$tmp/list"
echo "md5 $(md5sum "$tmp/d/x/file.bin" | cut -d' ' -f1) x/file.bin http://example.invalid/file.bin" >> "$tmp/list"
sh "$here/verify.sh" "$tmp/d" "$tmp/list" > /dev/null || { echo "data test: a good file failed to verify" >&2; exit 1; }
printf 'age data chec!\n' > "$tmp/d/x/file.bin"
if sh "$here/verify.sh" "$tmp/d" "$tmp/list" > /dev/null 2>&1; then echo "data test: a corrupt file verified" >&2; exit 1; fi
if [ -n "${AGE_DATA:-}" ] && [ -f "$AGE_DATA/mnist/train-images-idx3-ubyte.gz" ]; then
  grep '^sha256 .* mnist/' "$here/checksums.txt" > "$tmp/mnist"
  sh "$here/verify.sh" "$AGE_DATA" "$tmp/mnist" || { echo "data test: the local MNIST copy in $AGE_DATA does not match the published digests" >&2; exit 1; }
fi
echo "data test: passed"
