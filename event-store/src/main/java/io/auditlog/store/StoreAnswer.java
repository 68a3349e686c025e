package io.auditlog.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.auditlog.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads InfluxDB's answer to a {@link Statement}: exactly one result per statement sent, in order, or nothing is
 * used. Bound parameters leave no way to smuggle a second statement into the text, so an answer with more results
 * than statements means the statement was not what this module built: it is refused and logged as an attack.
 */
public final class StoreAnswer {

  private static final Logger LOG = LoggerFactory.getLogger(StoreAnswer.class);

  private StoreAnswer() {
  }

  /** An answer's JSON; a missing node when it is none (which {@link #results} refuses). */
  public static JsonNode parse(byte[] body) {
    try {
      return Json.MAPPER.readTree(body == null ? new byte[0] : body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  /**
   * The first error in an answer, for statements sent as text by tools and tests. InfluxDB's own messages hide
   * passwords ({@code [REDACTED]}), so the text is safe to log; statements holding passwords must never be logged.
   */
  public static Optional<String> firstError(JsonNode body) {
    if (body.has("error")) {
      return Optional.of(body.get("error").asText());
    }
    for (JsonNode result : body.path("results")) {
      if (result.has("error")) {
        return Optional.of(result.get("error").asText());
      }
    }
    return Optional.empty();
  }

  /**
   * The results of {@code body}, one per statement; a statement that failed is a failure, except "database not
   * found" (a tenant that has stored nothing yet), which reads as an empty result.
   */
  public static List<JsonNode> results(Statement statement, JsonNode body) {
    if (body.isMissingNode()) {
      throw new StoreException("unreadable InfluxDB answer");
    }
    if (body.hasNonNull("error")) {
      return notFoundOrFail(statement, body.get("error").asText());
    }
    JsonNode results = body.path("results");
    if (!results.isArray() || results.size() != statement.count()) {
      LOG.error("refused an InfluxDB answer with {} results to {} statement(s) — the statement sent was not the one "
          + "built: {}", results.size(), statement.count(), statement.text());
      throw new StoreException("InfluxDB answered " + results.size() + " results to " + statement.count()
          + " statement(s)");
    }
    List<JsonNode> answers = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      JsonNode result = results.get(i);
      if (result.path("statement_id").asInt(-1) != i) {
        throw new StoreException("InfluxDB answered out of order");
      }
      Optional<String> error = Optional.ofNullable(result.path("error").textValue());
      if (error.isPresent()) {
        return notFoundOrFail(statement, error.get());
      }
      answers.add(result);
    }
    return answers;
  }

  /** The one result of a one-statement query. */
  public static JsonNode result(Statement statement, JsonNode body) {
    return results(statement, body).get(0);
  }

  private static List<JsonNode> notFoundOrFail(Statement statement, String error) {
    if (error.startsWith("database not found")) {
      List<JsonNode> empty = new ArrayList<>();
      for (int i = 0; i < statement.count(); i++) {
        empty.add(MissingNode.getInstance());
      }
      return empty;
    }
    throw new StoreException("InfluxDB: " + error);
  }
}
