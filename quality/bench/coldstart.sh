#!/usr/bin/env bash
# Cold start, whole process, one core: `lightbox assess` of an 800x600 JPEG and of a
# 4000x3000 q92 JPEG, against a program that only decodes the 12 MP file with image/jpeg.
# Usage: quality/bench/coldstart.sh [RUNS]   (from anywhere; builds into a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/lightbox" .
go build -o "$tmp/jpegdecode" ./quality/cmd/coldstart/jpegdecode
go build -o "$tmp/coldstart" ./quality/cmd/coldstart
pin=()
if command -v taskset >/dev/null 2>&1; then pin=(taskset -c 0); fi
GOMAXPROCS=1 "${pin[@]}" "$tmp/coldstart" -lightbox "$tmp/lightbox" -decoder "$tmp/jpegdecode" -dir "$tmp" -runs "${1:-21}"
