#!/usr/bin/env bash
# Installs the real COS and S3 clients the conformance tests drive (localcos/conformance):
# rclone, s3cmd and the AWS CLI from Debian, Tencent's Node.js SDK from npm. COSCLI is not
# installed: it comes from ../shared/peers/coscli. Safe to run again; needs root (or sudo)
# for apt. The Node SDK goes to ~/.cache/lightbox-peers/node, outside the repository.
set -euo pipefail

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
missing=()
for pkg in rclone:rclone s3cmd:s3cmd aws:awscli node:nodejs npm:npm; do
  command -v "${pkg%%:*}" >/dev/null 2>&1 || missing+=("${pkg#*:}")
done
# The AWS CLI may exist only as a pyenv shim; the Debian one is what the tests expect too.
[ -x /usr/bin/aws ] || missing+=(awscli)
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
fi

NODE_SDK_VERSION=3.0.0
prefix="${HOME}/.cache/lightbox-peers/node"
if ! grep -q "\"version\": \"${NODE_SDK_VERSION}\"" "$prefix/node_modules/cos-nodejs-sdk-v5/package.json" 2>/dev/null; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "cos-nodejs-sdk-v5@${NODE_SDK_VERSION}" >/dev/null
fi

rclone version | sed -n 1p  # sed reads all input: head would close the pipe and pipefail turn SIGPIPE into a failure
s3cmd --version
/usr/bin/aws --version
node --version
echo "cos-nodejs-sdk-v5 ${NODE_SDK_VERSION} in $prefix"
