package io.auditlog.tlog;

/** Where an event's leaf is ({@code seq}) and the salt (base64) its point must carry. */
public record Placement(long seq, String salt) {
}
