package io.auditlog.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditlog.model.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A piece of an InfluxQL statement: constant text written by this module, and values — strings, regular
 * expressions, measurement and column names, numbers — that never become statement text. Each value is bound as a
 * parameter ({@code $p0}, {@code $p1}, …) whose JSON InfluxDB substitutes after it has parsed the statement, so no
 * value can end a literal early, start another clause or another statement, whatever characters it holds.
 * Immutable; {@link #statement()} renders the text and its parameters.
 */
public final class InfluxQl {

  /** What constant text may hold: no quote, slash, backslash, dollar, semicolon or line break, so never a value. */
  private static final Pattern CONSTANT = Pattern.compile("[A-Za-z0-9_ (),*=<>!~.+-]*");

  private final List<Object> parts;

  private InfluxQl(List<Object> parts) {
    this.parts = parts;
  }

  /**
   * Statement text written in this module: keywords, operators, function names. Refuses anything that could be a
   * quoted value, so a value passed here by mistake fails at once instead of reaching InfluxDB.
   */
  public static InfluxQl sql(String constant) {
    if (!CONSTANT.matcher(constant).matches()) {
      throw new IllegalArgumentException("not constant InfluxQL text: " + constant);
    }
    return new InfluxQl(List.of(constant));
  }

  /** A measurement, column or tag name, bound as {@code {"identifier": name}}. */
  public static InfluxQl identifier(String name) {
    return bound(Json.MAPPER.createObjectNode().put("identifier", name));
  }

  /** A string literal, bound as a JSON string. */
  public static InfluxQl string(String value) {
    return bound(TextNode.valueOf(value));
  }

  /** A regular expression in the store's (Go RE2) syntax, bound as {@code {"regex": pattern}}. */
  public static InfluxQl regex(String pattern) {
    return bound(Json.MAPPER.createObjectNode().put("regex", pattern));
  }

  /** An integer, e.g. a time in nanoseconds. */
  public static InfluxQl integer(long value) {
    return bound(LongNode.valueOf(value));
  }

  /** A finite number. */
  public static InfluxQl number(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    return bound(DoubleNode.valueOf(value));
  }

  private static InfluxQl bound(JsonNode value) {
    return new InfluxQl(List.of(value));
  }

  /** This piece followed by {@code next}. */
  public InfluxQl then(InfluxQl next) {
    List<Object> joined = new ArrayList<>(parts.size() + next.parts.size());
    joined.addAll(parts);
    joined.addAll(next.parts);
    return new InfluxQl(Collections.unmodifiableList(joined));
  }

  /** This piece followed by constant text. */
  public InfluxQl then(String constant) {
    return then(sql(constant));
  }

  /** The pieces with {@code separator} (constant text) between them; empty text for none. */
  public static InfluxQl join(List<InfluxQl> pieces, String separator) {
    InfluxQl joined = sql("");
    for (int i = 0; i < pieces.size(); i++) {
      joined = i == 0 ? joined.then(pieces.get(i)) : joined.then(separator).then(pieces.get(i));
    }
    return joined;
  }

  /** True when this piece holds no text and no value. */
  public boolean isEmpty() {
    return parts.stream().allMatch(part -> part instanceof String text && text.isEmpty());
  }

  /** The text with a parameter name in place of each value, and the values by name. */
  public Statement statement() {
    return render(List.of(this));
  }

  /**
   * Several statements sent as one request (InfluxDB answers one result each, which the caller must count), their
   * values numbered across all of them.
   */
  public static Statement batch(List<InfluxQl> statements) {
    return render(statements);
  }

  private static Statement render(List<InfluxQl> statements) {
    StringBuilder text = new StringBuilder();
    ObjectNode params = Json.MAPPER.createObjectNode();
    for (InfluxQl statement : statements) {
      if (!text.isEmpty()) {
        text.append(";\n");
      }
      statement.renderInto(text, params);
    }
    return new Statement(text.toString(), params, statements.size());
  }

  private void renderInto(StringBuilder text, ObjectNode params) {
    for (Object part : parts) {
      if (part instanceof String constant) {
        text.append(constant);
      } else {
        String name = "p" + params.size();
        params.set(name, (JsonNode) part);
        text.append('$').append(name);
      }
    }
  }

  @Override
  public String toString() {
    return statement().toString();
  }
}
