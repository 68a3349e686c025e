package io.auditlog.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;

/**
 * One InfluxQL statement as sent: {@link #text()} (the {@code q} parameter) holds only constant text and parameter
 * names; {@link #paramsJson()} (the {@code params} parameter) holds every value. Only {@link InfluxQl} makes one.
 */
public final class Statement {

  private final String text;
  private final String params;
  private final int count;

  Statement(String text, ObjectNode params, int count) {
    this.text = text;
    this.params = Json.toText(params);
    this.count = count;
  }

  /** How many statements the text holds, so how many results a faithful answer has. */
  public int count() {
    return count;
  }

  public String text() {
    return text;
  }

  /** The bound values as the JSON object InfluxDB's {@code params} takes. */
  public String paramsJson() {
    return params;
  }

  @Override
  public String toString() {
    return text + " " + params;
  }
}
