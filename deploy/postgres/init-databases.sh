#!/bin/sh
# Runs once, when the postgres image initialises an empty data volume (/docker-entrypoint-initdb.d):
# one role and database for the engine's decision log (ocop), one role owning Temporal's two
# databases (temporal, temporal_visibility). Each service logs in with its own password.
set -eu
: "${OCOP_DB_PASSWORD:?OCOP_DB_PASSWORD must be set}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD must be set}"

# psql substitutes :'name' with a quoted literal, so a password cannot break the SQL.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set ocop_password="$OCOP_DB_PASSWORD" \
    --set temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE ocop LOGIN PASSWORD :'ocop_password';
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE ocop OWNER ocop;
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
