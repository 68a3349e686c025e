package io.auditlog.query;

import io.auditlog.store.read.LogQuery;
import io.auditlog.model.ApiException;
import io.auditlog.model.EventValidator;
import io.auditlog.model.FieldError;
import io.auditlog.model.InfluxNames;
import io.auditlog.filter.Filter;
import io.auditlog.web.InternalTokens;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the query string of {@code GET /audit/log} into a {@link LogQuery}, reporting every bad parameter. */
public final class LogQueryParser {

  static final int MAX_SIZE = 1000;
  private static final Map<String, String> TAG_PARAMS = Map.of(
      "app", InfluxNames.TAG_APP,
      "env", InfluxNames.TAG_ENV,
      "method", InfluxNames.TAG_METHOD,
      "status", InfluxNames.TAG_STATUS);

  private final TimeParser time;

  public LogQueryParser(TimeParser time) {
    this.time = time;
  }

  public LogQuery parse(InternalTokens.Identity identity, MultiMap params) {
    String tenant = identity.tenant();
    List<FieldError> errors = new ArrayList<>();
    String category = required(params, "category", errors);
    if (category != null && !EventValidator.isPossibleCategory(category)) {
      errors.add(new FieldError(List.of("query", "category"), "no event can have this category",
          "value_error.category"));
    }
    required(params, "app", errors);
    Map<String, String> tags = new LinkedHashMap<>();
    TAG_PARAMS.forEach((param, tag) -> {
      String value = params.get(param);
      if (value != null && !value.isEmpty()) {
        tags.put(tag, value);
      }
    });
    Map<String, String> fields = new LinkedHashMap<>();
    String origin = params.get("origin");
    if (origin != null && !origin.isEmpty()) {
      fields.put(InfluxNames.FIELD_ORIGIN, origin);
    }
    int page = integer(params, "page", 1, 1, 1_000_000, errors);
    int size = integer(params, "size", 50, 1, MAX_SIZE, errors);
    Instant start = instant(params, "start", "1d", errors);
    Instant stop = instant(params, "stop", "now()", errors);
    if (start != null && stop != null && !start.isBefore(stop)) {
      errors.add(new FieldError(List.of("query", "start"), "must be before stop", "value_error.time.range"));
    }
    Filter filter = Filters.effective(identity.view(), params.get("filter"));
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return new LogQuery(tenant, category, tags, fields, start, stop, filter, time.now(), page, size);
  }

  private static String required(MultiMap params, String name, List<FieldError> errors) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      errors.add(FieldError.missing(List.of("query", name)));
      return null;
    }
    return value;
  }

  private static int integer(MultiMap params, String name, int defaultValue, int min, int max,
      List<FieldError> errors) {
    String value = params.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError(List.of("query", name), "must be an integer from " + min + " to " + max,
        "type_error.integer"));
    return defaultValue;
  }

  private Instant instant(MultiMap params, String name, String defaultValue, List<FieldError> errors) {
    try {
      return time.parse(name, params.get(name) == null ? defaultValue : params.get(name));
    } catch (ApiException e) {
      errors.addAll(e.fieldErrors());
      return null;
    }
  }
}
