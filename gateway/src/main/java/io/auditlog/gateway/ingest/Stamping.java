package io.auditlog.gateway.ingest;

import io.auditlog.model.ApiException;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventStamper;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Stamps accepted events with ids and timestamps, only while this gateway holds its instance number. */
public final class Stamping {

  private final EventStamper stamper;
  private final BooleanSupplier mayStamp;

  public Stamping(EventStamper stamper, BooleanSupplier mayStamp) {
    this.stamper = stamper;
    this.mayStamp = mayStamp;
  }

  BatchStamp stamp(String tenant, List<AuditEvent> events) {
    if (!mayStamp.getAsBoolean()) {
      throw ApiException.unavailable("instance_unclaimed",
          "This gateway is locking its instance number again; retry later.", 1);
    }
    return BatchStamp.of(stamper.stamp(tenant, events));
  }
}
