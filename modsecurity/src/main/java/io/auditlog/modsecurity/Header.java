package io.auditlog.modsecurity;

/** One HTTP header line, name and value as sent. */
record Header(String name, String value) {
}
