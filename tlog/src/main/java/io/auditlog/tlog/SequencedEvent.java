package io.auditlog.tlog;

import java.util.function.Supplier;

/**
 * An event to place in its tenant's tree: its {@code id} and {@code timestampNanos} (in the clear in the leaf), its
 * {@code stage} (for a derived salt), its own {@code salt} (base64) or null, and its canonical read shape (RFC 8785),
 * computed only when the event gets a new leaf.
 */
public record SequencedEvent(String id, long timestampNanos, int stage, String salt, Supplier<byte[]> canonical) {
}
