package io.auditlog.filter;

import static io.auditlog.model.InfluxNames.*;

import io.auditlog.filter.Variable.Kind;
import io.auditlog.model.EventValidator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Every variable name and alias of the language, looked up case-insensitively. */
public final class Variables {

  private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern METADATA_NAME = Pattern.compile("metadata\\.([A-Za-z_][A-Za-z0-9_]{0,63})",
      Pattern.CASE_INSENSITIVE);
  private static final Map<String, Variable> BY_NAME = new HashMap<>();
  /** The ModSecurity collections, which take an optional {@code :member}. */
  private static final Set<String> COLLECTIONS = Set.of("REQUEST_HEADERS", "REQUEST_COOKIES", "ARGS", "ARGS_GET",
      "ARGS_POST", "RESPONSE_HEADERS");
  /** The ModSecurity variables without members. */
  private static final Set<String> MODSEC = Set.of("REQUEST_URI", "REQUEST_URI_RAW", "QUERY_STRING", "REQUEST_LINE",
      "REQUEST_PROTOCOL", "REQUEST_HEADERS_NAMES", "REQUEST_COOKIES_NAMES", "ARGS_NAMES", "REQUEST_BODY",
      "RESPONSE_BODY", "RESPONSE_PROTOCOL", "RESPONSE_HEADERS_NAMES", "REMOTE_PORT", "SERVER_ADDR", "SERVER_PORT",
      "SERVER_NAME", "RULE_ID", "RULE_MSG", "RULE_DATA", "RULE_FILE", "RULE_LINE", "RULE_SEV", "MESSAGE", "RULE_TAG",
      "HIGHEST_SEVERITY", "LOWEST_SEVERITY", "WEBAPPID", "SESSIONID");
  /** AuditConsole variables this store cannot give a meaning; with {@code SITE_*}, they are unknown. */
  private static final Set<String> UNKNOWN = Set.of("TAGS", "SENSOR_ID", "GEO", "TX", "SESSION");

  static {
    define(new Variable("category", Kind.CATEGORY, "category", true));
    define(new Variable("app", Kind.TAG, TAG_APP, true), "application", "SENSOR_NAME");
    define(new Variable("env", Kind.TAG, TAG_ENV, true), "environment");
    define(new Variable("method", Kind.TAG, TAG_METHOD, true), "REQUEST_METHOD");
    define(new Variable("status", Kind.TAG, TAG_STATUS, true), "RESPONSE_STATUS");
    define(new Variable("level", Kind.TAG, TAG_LEVEL, true));
    define(new Variable("SEVERITY", Kind.SEVERITY, TAG_LEVEL, true));
    define(new Variable("origin", Kind.TEXT, FIELD_ORIGIN, true), "REMOTE_ADDR", "actor.origin", "REMOTE_HOST");
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
    define(new Variable("id", Kind.TEXT, FIELD_ID, true));
    define(new Variable("UNIQUE_ID", Kind.IDS, FIELD_ID, true), "TX_ID");
    define(new Variable("SENSOR_DATE", Kind.SENSOR_TIME, "sensor_time", false));
    for (String name : MODSEC) {
      define(new Variable(name, Kind.MODSEC, name, false));
    }
    for (String name : COLLECTIONS) {
      define(new Variable(name, Kind.MODSEC, name, false));
    }
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
   * The variable a name stands for: a built-in or alias, a ModSecurity collection's member
   * ({@code REQUEST_HEADERS:User-Agent}), {@code metadata.<name>}, or any other identifier as a custom metric (a
   * numeric field that not every event has). The AuditConsole variables without a meaning here are unknown.
   */
  public static Optional<Variable> resolve(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    int colon = upper.indexOf(':');
    String base = colon < 0 ? upper : upper.substring(0, colon);
    if (UNKNOWN.contains(base) || base.startsWith("SITE_")) {
      return Optional.empty();
    }
    if (colon >= 0) {
      String member = name.substring(colon + 1);
      return COLLECTIONS.contains(base) && !member.isEmpty()
          ? Optional.of(new Variable(base + ":" + member, Kind.MODSEC, base, false, Optional.of(member), false))
          : Optional.empty();
    }
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
