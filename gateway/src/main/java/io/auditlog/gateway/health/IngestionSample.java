package io.auditlog.gateway.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the ingestion monitor saw at one moment: the ingest workers in the consumer group, the records accepted into
 * Kafka but not yet committed by a worker (the lag), and the age of the oldest of them. {@code error} is set (and the
 * rest empty) when Kafka could not be asked.
 */
public record IngestionSample(Instant at, List<Worker> workers, long lag, Duration oldestUnstoredAge, String error) {

  /** One member of the workers' group: its client id and how many partitions it is assigned. */
  public record Worker(String clientId, int partitions) {
  }

  public static IngestionSample failed(Instant at, String error) {
    return new IngestionSample(at, List.of(), 0, Duration.ZERO, error);
  }

  public boolean reachable() {
    return error == null;
  }
}
