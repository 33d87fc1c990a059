// Package conformance drives real COS and S3 clients that nobody here wrote (Tencent's
// COSCLI and Node.js SDK, rclone, s3cmd, the AWS CLI) against lightbox's embedded COS on a
// loopback port, through their ordinary commands, and checks what they see and what the
// served folder holds afterwards. The server is `lightbox serve` run from the binary named
// by LIGHTBOX_BINARY, or else the same server started in-process.
//
// The tests run only with LIGHTBOX_CONFORMANCE=1 (they move about a hundred megabytes and
// take a minute or two), as .ci/conformance.sh does; each client that is not installed is
// skipped with a message saying how to install it. Each test logs which operations passed.
package conformance
