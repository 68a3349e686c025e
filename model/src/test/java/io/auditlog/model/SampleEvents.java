package io.auditlog.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;

/** The seed's example event, as JSON and as a validated, stamped event, for tests in every module. */
public final class SampleEvents {

  private SampleEvents() {
  }

  public static ObjectNode seedJson() {
    try (InputStream in = SampleEvents.class.getResourceAsStream("/seed-event.json")) {
      return (ObjectNode) Json.parseBody(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static AuditEvent seed() {
    return new EventValidator().validate(seedJson()).get(0);
  }

  /** {@code count} copies of the seed event stamped as one request of {@code tenant}. */
  public static List<StampedEvent> stamped(String tenant, int count) {
    return new EventStamper().stamp(tenant, Collections.nCopies(count, seed()));
  }
}
