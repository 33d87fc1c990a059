#!/usr/bin/env bash
# Drives each real client (COSCLI, cos-nodejs-sdk-v5, rclone, s3cmd, the AWS CLI) against
# lightbox's embedded COS on loopback and prints, per client, which operations passed.
# Run .ci/install-peers.sh first; a client that is missing is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
bin="$(mktemp -d)/lightbox"
# The clients meet `lightbox serve` itself, as a user starts it.
go build -o "$bin" .
status=0
LIGHTBOX_BINARY="$bin" LIGHTBOX_CONFORMANCE=1 go test -count=1 -v -timeout 20m ./localcos/conformance/ >"$log" 2>&1 || status=$?
grep -E '^(--- |ok |FAIL|PASS)|operations passed|FAILED:|skipping|_test\.go:[0-9]+: ' "$log" | grep -v '^=== ' || true
rm -rf "$log" "$(dirname "$bin")"
exit "$status"
