package io.auditlog.model;

/**
 * An accepted event with the identity and time assigned where it entered: the tenant it belongs to, its own
 * {@code id}, the {@code eventId} shared by its request, its receive time in nanoseconds since the epoch (UTC), its
 * 1-based {@code stage} within the request, and the {@code salt} of its leaf in the tenant's verifiable history
 * (16 random bytes in base64, drawn with the ids; null when it entered without one, and its salt is derived from the
 * Kafka record that carried it).
 */
public record StampedEvent(
    String tenant, String id, String eventId, long timestampNanos, int stage, AuditEvent event, String salt) {

  /** An event without a salt of its own. */
  public StampedEvent(String tenant, String id, String eventId, long timestampNanos, int stage, AuditEvent event) {
    this(tenant, id, eventId, timestampNanos, stage, event, null);
  }
}
