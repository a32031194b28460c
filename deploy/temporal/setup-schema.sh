#!/bin/sh
# Temporal's schema in its two PostgreSQL databases (created by deploy/postgres/init-databases.sh),
# with the temporalio/admin-tools image's temporal-sql-tool. Safe to run on every `up`: setup-schema
# leaves a database that is past version 0.0 alone, and update-schema applies only newer versions.
set -eu
: "${POSTGRES_SEEDS:?}" "${DB_PORT:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
SCHEMA=/etc/temporal/schema/postgresql/v12

for pair in "temporal:temporal" "temporal_visibility:visibility"; do
    db=${pair%%:*}
    dir=${pair#*:}
    echo "schema of $db"
    temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" \
        --db "$db" setup-schema -v 0.0
    temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" \
        --db "$db" update-schema -d "$SCHEMA/$dir/versioned"
done
echo "Temporal's schema is up to date"
