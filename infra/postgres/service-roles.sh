#!/bin/bash
# The services' PostgreSQL login roles, made once when the postgres image initialises its data folder
# (/docker-entrypoint-initdb.d). They get no rights here: each service's `migrate` job (gateway-schema,
# worker-schema in compose.yaml) grants them what they need of its tables, as the tables' owner. The passwords reach
# SQL only as psql variables (:'name'), which psql quotes as literals. For a data folder made before this script, run
# it once by hand: docker compose exec -T postgres bash < infra/postgres/service-roles.sh
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-auditlog}" --dbname "${POSTGRES_DB:-auditlog}" \
  -v gateway="$AUDIT_PG_GATEWAY_PASSWORD" -v worker="$AUDIT_PG_WORKER_PASSWORD" -v query="$AUDIT_PG_QUERY_PASSWORD" \
  -v database="${POSTGRES_DB:-auditlog}" <<'SQL'
SELECT 'CREATE ROLE auditlog_gateway' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'auditlog_gateway')\gexec
SELECT 'CREATE ROLE auditlog_worker' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'auditlog_worker')\gexec
SELECT 'CREATE ROLE auditlog_query' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'auditlog_query')\gexec
ALTER ROLE auditlog_gateway NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT LOGIN
  PASSWORD :'gateway';
ALTER ROLE auditlog_worker NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT LOGIN
  PASSWORD :'worker';
ALTER ROLE auditlog_query NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT LOGIN
  PASSWORD :'query';
REVOKE TEMPORARY ON DATABASE :"database" FROM PUBLIC;
SQL
