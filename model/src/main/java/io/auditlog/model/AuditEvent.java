package io.auditlog.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One audit event as the client described it, after validation. Optional parts are {@link Optional} or empty lists
 * so that "not sent" stays distinguishable from any value.
 */
public record AuditEvent(
    String category,
    String application,
    String environment,
    String method,
    String status,
    String level,
    Action event,
    Actor actor,
    Optional<Resource> resource,
    Optional<List<MetadataItem>> metadata) {

  /** The {@code event} object: what was done and what it cost. */
  public record Action(
      String name,
      String type,
      double totalDuration,
      long affectedResources,
      double latency,
      double cpuUsage,
      double memoryUsage,
      Optional<String> description,
      Optional<ObjectNode> detail) {
  }

  /** The {@code actor} object: who did it, from where. */
  public record Actor(String origin, Optional<ObjectNode> detail) {
  }

  /** The optional {@code resource} object. */
  public record Resource(
      Optional<String> id, Optional<String> name, Optional<String> type, Optional<ObjectNode> detail) {
  }

  /**
   * One {@code metadata} item; a metric item has a numeric value and becomes its own float field. {@code isMetricFlag}
   * is the flag as sent (absent when the client left it out), so that the item reads back as it was written.
   */
  public record MetadataItem(String name, Optional<Boolean> isMetricFlag, JsonNode value) {

    public boolean isMetric() {
      return isMetricFlag.orElse(false);
    }
  }

  /** The custom metrics of this event, in the order they were sent. */
  public List<MetadataItem> metrics() {
    return metadata.orElse(List.of()).stream().filter(MetadataItem::isMetric).toList();
  }
}
