package io.auditlog.model;

/** Kafka topic names and record headers shared by the gateway, the ingest worker and direct producers. */
public final class Topics {

  /** Validated, stamped events; key = tenant. */
  public static final String EVENTS = "audit.events";
  /** Raw event bodies written by producers straight to Kafka, authenticated by their {@link #API_KEY_HEADER}. */
  public static final String INGRESS = "audit.ingress";
  /** Records the ingest worker could not accept, with the reason in {@link #REASON_HEADER}. */
  public static final String DEAD_LETTERS = "audit.events.dlq";
  /** The dead-letter topic's record limit: twice what the broker takes from a producer, so any record fits. */
  public static final int DEAD_LETTER_MAX_BYTES = 2 * 1024 * 1024;
  /** Header carrying the version of the canonical event JSON in the record value. */
  public static final String SCHEMA_VERSION_HEADER = "schema-version";
  /** 2: the value carries the event's {@code salt}. Values of version 1 have none. */
  public static final String SCHEMA_VERSION = "2";
  /**
   * Header on the records the gateway published for a request with an {@code Idempotency-Key}: a retry may publish
   * their events again, and each must keep the leaf it got the first time.
   */
  public static final String IDEMPOTENT_HEADER = "idempotent";
  /** Header a direct producer sets to authenticate its record. */
  public static final String API_KEY_HEADER = "api-key";
  public static final String REASON_HEADER = "dlq-reason";

  private Topics() {
  }
}
