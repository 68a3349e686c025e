package io.auditlog.store;

/** An event's leaf in its tenant's verifiable history: its 0-based position and its salt (padded base64). */
public record HistoryLeaf(long seq, String salt) {
}
