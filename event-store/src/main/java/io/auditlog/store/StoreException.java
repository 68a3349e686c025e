package io.auditlog.store;

/** InfluxDB failed or answered something this module will not use. */
public final class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }
}
