package io.auditlog.modsecurity;

/** Where an entry came from: the event's application, environment and category, and the sensor's name. */
public record Source(String sensor, String application, String environment, String category) {
}
