package io.auditlog.worker;

import io.auditlog.store.EventSink;
import java.util.Optional;

/** Who holds an access key: the tenant of its active account, or empty. */
@FunctionalInterface
interface KeyOwners {

  /**
   * The tenant of the active account holding {@code key}, or empty.
   *
   * @throws EventSink.TransientWriteException when the answer cannot be had now
   */
  Optional<String> tenantOf(String key) throws EventSink.TransientWriteException;
}
