#!/bin/bash
# The services' PostgreSQL login roles, made once when the postgres image initialises its data folder
# (/docker-entrypoint-initdb.d), as infra's PostgresServer makes them for the local stack. They get no rights on the
# tables here: each service's `migrate` job (gateway-schema, worker-schema in compose.yaml) grants them what they need
# of its tables, as the tables' owner. What PostgreSQL gives every role by default and no service uses is taken back.
# The passwords never reach a command line: psql reads them from its environment (\getenv) and quotes them as
# literals (:'name'). For a data folder made before this script, run it once by hand:
#   docker compose exec -T postgres bash < infra/postgres/service-roles.sh
set -euo pipefail
: "${AUDIT_PG_GATEWAY_PASSWORD:?}" "${AUDIT_PG_WORKER_PASSWORD:?}" "${AUDIT_PG_QUERY_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-auditlog}" --dbname "${POSTGRES_DB:-auditlog}" \
  -v database="${POSTGRES_DB:-auditlog}" <<'SQL'
\getenv gateway_password AUDIT_PG_GATEWAY_PASSWORD
\getenv worker_password AUDIT_PG_WORKER_PASSWORD
\getenv query_password AUDIT_PG_QUERY_PASSWORD
SELECT 'CREATE ROLE auditlog_gateway' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'auditlog_gateway')\gexec
SELECT 'CREATE ROLE auditlog_worker' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'auditlog_worker')\gexec
SELECT 'CREATE ROLE auditlog_query' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'auditlog_query')\gexec
ALTER ROLE auditlog_gateway NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT LOGIN
  PASSWORD :'gateway_password';
ALTER ROLE auditlog_worker NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT LOGIN
  PASSWORD :'worker_password';
ALTER ROLE auditlog_query NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT LOGIN
  PASSWORD :'query_password';
REVOKE TEMPORARY ON DATABASE :"database" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea) FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO auditlog_gateway, auditlog_worker, auditlog_query;
SQL
