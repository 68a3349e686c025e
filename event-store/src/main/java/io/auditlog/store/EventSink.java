package io.auditlog.store;

import java.util.List;

/** Where batches of encoded events are stored: one call per tenant database. */
public interface EventSink {

  /**
   * Stores {@code lines} in {@code database}.
   *
   * @return the lines the store refused for good (they will never be accepted), each with the store's reason;
   *     every other line is stored when this returns
   * @throws TransientWriteException when the store could not be reached or failed in a way a retry can fix;
   *     nothing may be assumed stored then
   */
  List<Rejected> write(String database, List<String> lines) throws TransientWriteException;

  /** A line the store will never accept, and why. */
  record Rejected(String line, String reason) {
  }

  /** The store is down, slow or overloaded: retry the same write later. */
  final class TransientWriteException extends Exception {
    public TransientWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
