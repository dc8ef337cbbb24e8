#!/usr/bin/env bash
# Validates our OpenAPI descriptions with an independent validator
# (PyPI openapi-spec-validator), installed into a private virtual
# environment under target/ so nothing outside the checkout changes.
# Usage: .ci/validate-openapi.sh [file.yaml ...]  (default: specs/nextgen/openapi.yaml
# and the well-formed OpenAPI test fixtures, tests/fixtures/openapi/*.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/openapi-validator-venv
version=0.9.0
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==$version"
fi
files=("$@")
[ ${#files[@]} -eq 0 ] && files=(specs/nextgen/openapi.yaml tests/fixtures/openapi/*.yaml)
status=0
for file in "${files[@]}"; do
    # -W error: a warning (e.g. a deprecated construct) fails the check too.
    if ! output=$("$venv/bin/python" -W error -m openapi_spec_validator --schema 3.0 "$file" 2>&1); then
        status=1
    fi
    echo "$output"
    if grep -qi 'warn' <<<"$output"; then
        echo "validate-openapi: warnings in $file" >&2
        status=1
    fi
done
exit $status
