package io.auditlog.store.read;

import io.vertx.core.Future;
import java.util.List;

/**
 * What a deletion records before it removes points: with the verifiable history on, erasure records naming the
 * chosen events are appended to the tenant's tree and signed into a checkpoint first, so every remaining proof stays
 * valid and no erased event can be mistaken for a missing one.
 */
public interface DeletionLog {

  /** Records nothing: the history is off. */
  DeletionLog NONE = new DeletionLog() {
    @Override
    public Future<Void> beforeDelete(String tenant, List<EventDeleter.Target> targets) {
      return Future.succeededFuture();
    }

    @Override
    public void afterDelete(String tenant, List<EventDeleter.Target> targets, EventDeleter deleter) {
    }
  };

  /** Completes once the chosen events' erasure is recorded and covered by a signed checkpoint. */
  Future<Void> beforeDelete(String tenant, List<EventDeleter.Target> targets);

  /** The points are deleted; e.g. delete them again later, against writes still under way from a revoked worker. */
  void afterDelete(String tenant, List<EventDeleter.Target> targets, EventDeleter deleter);
}
