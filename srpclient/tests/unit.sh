#!/bin/bash
# Unit tests (options, credential sources/precedence, credentials file, suites, report).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
U=$ROOT/build/srpclient/unit_tests
if [ ! -x "$U" ]; then
    echo "FAIL unit/binary: $U missing (make srpclient)"
    exit 1
fi
mkdir -p "$ROOT/build/tmp"
SRPC_TMP=$ROOT/build/tmp timeout 60 "$U"
