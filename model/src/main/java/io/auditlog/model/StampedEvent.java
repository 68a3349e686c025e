package io.auditlog.model;

/**
 * An accepted event with the identity and time assigned where it entered: the tenant it belongs to, its own
 * {@code id}, the {@code eventId} shared by its request, its receive time in nanoseconds since the epoch (UTC) and its
 * 1-based {@code stage} within the request.
 */
public record StampedEvent(
    String tenant, String id, String eventId, long timestampNanos, int stage, AuditEvent event) {
}
