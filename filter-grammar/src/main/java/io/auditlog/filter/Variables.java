package io.auditlog.filter;

import static io.auditlog.model.InfluxNames.*;

import io.auditlog.filter.Variable.Kind;
import io.auditlog.model.EventValidator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Every variable name and alias of the language, looked up case-insensitively. */
public final class Variables {

  private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern METADATA_NAME = Pattern.compile("metadata\\.([A-Za-z_][A-Za-z0-9_]{0,63})",
      Pattern.CASE_INSENSITIVE);
  private static final Map<String, Variable> BY_NAME = new HashMap<>();

  static {
    define(new Variable("category", Kind.CATEGORY, "category", true));
    define(new Variable("app", Kind.TAG, TAG_APP, true), "application");
    define(new Variable("env", Kind.TAG, TAG_ENV, true), "environment");
    define(new Variable("method", Kind.TAG, TAG_METHOD, true), "REQUEST_METHOD");
    define(new Variable("status", Kind.TAG, TAG_STATUS, true), "RESPONSE_STATUS");
    define(new Variable("level", Kind.TAG, TAG_LEVEL, true), "SEVERITY");
    define(new Variable("origin", Kind.TEXT, FIELD_ORIGIN, true), "REMOTE_ADDR", "actor.origin");
    define(new Variable("event.name", Kind.TAG, TAG_EVENT_NAME, true), "event_name");
    define(new Variable("event.type", Kind.TAG, TAG_EVENT_TYPE, true), "event_type");
    define(new Variable("event.description", Kind.TEXT, FIELD_DESCRIPTION, false), "description");
    define(new Variable("resource.id", Kind.TEXT, FIELD_RESOURCE_ID, false), "resource_id");
    define(new Variable("resource.name", Kind.TEXT, FIELD_RESOURCE_NAME, false), "resource_name");
    define(new Variable("resource.type", Kind.TAG, TAG_RESOURCE_TYPE, false), "resource_type");
    for (String measure : new String[] {FIELD_TOTAL_DURATION, FIELD_LATENCY, FIELD_CPU_USAGE, FIELD_MEMORY_USAGE,
        FIELD_AFFECTED_RESOURCES, FIELD_STAGE}) {
      define(new Variable(measure, Kind.NUMBER, measure, true), "event." + measure);
    }
    define(new Variable("id", Kind.TEXT, FIELD_ID, true), "TX_ID", "UNIQUE_ID");
    define(new Variable("event_id", Kind.TEXT, FIELD_EVENT_ID, true));
    define(new Variable("time", Kind.TIME, "time", true), "DATE", "RECEIVED");
    define(new Variable("age", Kind.AGE, "time", true));
  }

  private Variables() {
  }

  private static void define(Variable variable, String... aliases) {
    BY_NAME.put(variable.name().toLowerCase(Locale.ROOT), variable);
    for (String alias : aliases) {
      BY_NAME.put(alias.toLowerCase(Locale.ROOT), variable);
    }
  }

  /**
   * The variable a name stands for: a built-in or alias, {@code metadata.<name>}, or any other identifier as a
   * custom metric (a numeric field that not every event has).
   */
  public static Optional<Variable> resolve(String name) {
    Variable builtIn = BY_NAME.get(name.toLowerCase(Locale.ROOT));
    if (builtIn != null) {
      return Optional.of(builtIn);
    }
    var metadata = METADATA_NAME.matcher(name);
    if (metadata.matches()) {
      return Optional.of(new Variable("metadata." + metadata.group(1), Kind.METADATA, metadata.group(1), false));
    }
    if (METRIC_NAME.matcher(name).matches()
        && !EventValidator.RESERVED_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
      return Optional.of(new Variable(name, Kind.NUMBER, name, false));
    }
    return Optional.empty();
  }
}
