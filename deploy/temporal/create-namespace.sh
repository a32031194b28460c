#!/bin/sh
# The engine's Temporal namespace, with an explicit retention of closed workflow histories (the
# decision log in PostgreSQL is the record and outlives them). Idempotent: an existing namespace
# gets its retention updated. The engine registers no custom search attributes; if it ever does,
# add them here (temporal operator search-attribute create) and to `ocop dev`.
set -eu
: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:?}" "${RETENTION:?}"

attempt=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 60 ]; then
        echo "Temporal at $TEMPORAL_ADDRESS is not serving" >&2
        exit 1
    fi
    sleep 2
done

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
    # The frontend's namespace cache may lag a fresh registration by a few seconds: retry.
    attempt=0
    until temporal operator namespace update --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" \
            --retention "$RETENTION"; do
        attempt=$((attempt + 1))
        [ "$attempt" -lt 15 ] || exit 1
        sleep 2
    done
    echo "namespace $NAMESPACE exists; retention set to $RETENTION"
else
    temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION" \
        --description "OCOP evaluation engine"
    echo "namespace $NAMESPACE created with retention $RETENTION"
fi
