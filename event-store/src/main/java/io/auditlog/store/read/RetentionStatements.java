package io.auditlog.store.read;

import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;

/** The retention job's statements on a tenant's database: whether it holds older events, and their deletion. */
public final class RetentionStatements {

  private RetentionStatements() {
  }

  /** One event's id, if any event is stamped before {@code nanos}: the query answers a series then. */
  public static InfluxQl anyEventBefore(long nanos) {
    return InfluxQl.sql("SELECT ").then(InfluxQl.identifier(InfluxNames.FIELD_ID)).then(" FROM ")
        .then(InfluxQl.regex(".*")).then(" WHERE time < ").then(InfluxQl.integer(nanos)).then(" LIMIT 1");
  }

  /** Every point stamped before {@code nanos}, in every measurement (the trail index with the events). */
  public static InfluxQl deleteBefore(long nanos) {
    return InfluxQl.sql("DELETE WHERE time < ").then(InfluxQl.integer(nanos));
  }
}
