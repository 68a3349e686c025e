package io.auditlog.worker;

import io.auditlog.store.EventSink;
import java.util.Collection;
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

  /**
   * Looks up at once the keys a batch is about to ask for, so that each of them is then answered from memory: a batch
   * of records with as many made-up keys costs a few queries, not one each.
   *
   * @throws EventSink.TransientWriteException when the answers cannot be had now
   */
  default void prefetch(Collection<String> keys) throws EventSink.TransientWriteException {
  }
}
