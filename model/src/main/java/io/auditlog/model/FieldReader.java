package io.auditlog.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed values out of one JSON object and records every failure with its {@code loc}, so that a caller can
 * check all fields of a body and report all of them at once. No coercion: a number is never read as a string.
 */
final class FieldReader {

  /** The longest string InfluxDB stores comfortably in one field, in UTF-8 bytes of its compact JSON form. */
  static final int MAX_STORED_BYTES = 60 * 1024;

  private final ObjectNode node;
  private final List<Object> loc;
  private final List<FieldError> errors;

  FieldReader(ObjectNode node, List<Object> loc, List<FieldError> errors) {
    this.node = node;
    this.loc = List.copyOf(loc);
    this.errors = errors;
  }

  /** Reports every key of this object that is not in {@code allowed}. */
  void rejectUnknown(Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        fail(at(name), "extra fields not permitted", "value_error.extra");
      }
    }
  }

  boolean has(String key) {
    return node.has(key);
  }

  List<Object> at(Object key) {
    List<Object> path = new ArrayList<>(loc);
    path.add(key);
    return path;
  }

  void fail(List<Object> where, String msg, String type) {
    errors.add(new FieldError(where, msg, type));
  }

  String requiredText(String key, int min, int max, TextRule... rules) {
    if (!node.has(key)) {
      errors.add(FieldError.missing(at(key)));
      return null;
    }
    return text(key, min, max, rules);
  }

  Optional<String> optionalText(String key, int min, int max, TextRule... rules) {
    return node.has(key) ? Optional.ofNullable(text(key, min, max, rules)) : Optional.empty();
  }

  /** A free text stored as one string field: no limit but {@link #MAX_STORED_BYTES} of UTF-8. */
  Optional<String> optionalStoredText(String key) {
    return optionalText(key, 0, Integer.MAX_VALUE);
  }

  private String text(String key, int min, int max, TextRule... rules) {
    JsonNode value = node.get(key);
    if (!value.isTextual()) {
      fail(at(key), "must be a string", "type_error.str");
      return null;
    }
    String text = value.textValue();
    int length = text.codePointCount(0, text.length());
    if (length < min || length > max) {
      fail(at(key), "must be " + min + " to " + max + " characters long", "value_error.str.length");
      return null;
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_STORED_BYTES) {
      fail(at(key), "must be at most " + MAX_STORED_BYTES + " bytes in UTF-8", "value_error.str.bytes");
      return null;
    }
    for (TextRule rule : rules) {
      if (!rule.accepts(text)) {
        fail(at(key), rule.message, rule.type);
        return null;
      }
    }
    return text;
  }

  /** A finite number ≥ 0, read as a double. */
  double requiredMeasure(String key) {
    if (!node.has(key)) {
      errors.add(FieldError.missing(at(key)));
      return 0;
    }
    JsonNode value = node.get(key);
    if (!value.isNumber()) {
      fail(at(key), "must be a number", "type_error.float");
      return 0;
    }
    double number = value.doubleValue();
    if (!Double.isFinite(number)) {
      fail(at(key), "must be a finite number", "value_error.number.not_finite");
      return 0;
    }
    if (number < 0) {
      fail(at(key), "must be greater than or equal to 0", "value_error.number.not_ge");
      return 0;
    }
    return number;
  }

  /** A JSON integer (no fraction, no exponent) ≥ 0 that fits in 64 bits. */
  long requiredCount(String key) {
    if (!node.has(key)) {
      errors.add(FieldError.missing(at(key)));
      return 0;
    }
    JsonNode value = node.get(key);
    if (!value.isIntegralNumber()) {
      fail(at(key), "must be an integer", "type_error.integer");
      return 0;
    }
    if (!value.canConvertToLong()) {
      fail(at(key), "must be at most " + Long.MAX_VALUE, "value_error.number.not_le");
      return 0;
    }
    long number = value.longValue();
    if (number < 0) {
      fail(at(key), "must be greater than or equal to 0", "value_error.number.not_ge");
      return 0;
    }
    return number;
  }

  /** A nested object that must be present; null when it is missing or not an object (the failure is recorded). */
  ObjectNode requiredObject(String key) {
    if (!node.has(key)) {
      errors.add(FieldError.missing(at(key)));
      return null;
    }
    return object(key);
  }

  Optional<ObjectNode> optionalObject(String key) {
    return node.has(key) ? Optional.ofNullable(object(key)) : Optional.empty();
  }

  private ObjectNode object(String key) {
    JsonNode value = node.get(key);
    if (!value.isObject()) {
      fail(at(key), "must be an object", "type_error.dict");
      return null;
    }
    return (ObjectNode) value;
  }

  /** An optional free-form {@code detail} object, at most {@code maxDepth} levels deep and storable as one string. */
  Optional<ObjectNode> optionalDetail(String key, int maxDepth) {
    Optional<ObjectNode> detail = optionalObject(key);
    if (detail.isEmpty()) {
      return detail;
    }
    if (Json.depth(detail.get()) > maxDepth) {
      fail(at(key), "must be nested at most " + maxDepth + " levels deep", "value_error.depth");
      return Optional.empty();
    }
    if (Json.compactBytes(detail.get()) > MAX_STORED_BYTES) {
      fail(at(key), "must be at most " + MAX_STORED_BYTES + " bytes as compact JSON", "value_error.str.bytes");
      return Optional.empty();
    }
    return detail;
  }

  /** An optional array stored as one JSON string: present, an array, and at most {@link #MAX_STORED_BYTES}. */
  JsonNode optionalDetailArray(String key) {
    JsonNode value = node.get(key);
    if (!value.isArray()) {
      fail(at(key), "must be an array", "type_error.list");
      return null;
    }
    if (Json.compactBytes(value) > MAX_STORED_BYTES) {
      fail(at(key), "must be at most " + MAX_STORED_BYTES + " bytes as compact JSON", "value_error.str.bytes");
      return null;
    }
    return value;
  }

  /** An optional boolean. */
  Optional<Boolean> optionalBoolean(String key) {
    if (!node.has(key)) {
      return Optional.empty();
    }
    JsonNode value = node.get(key);
    if (!value.isBoolean()) {
      fail(at(key), "must be a boolean", "type_error.bool");
      return Optional.empty();
    }
    return Optional.of(value.booleanValue());
  }

  /** Any JSON value, {@code null} included, that must be present. */
  JsonNode requiredValue(String key) {
    if (!node.has(key)) {
      errors.add(FieldError.missing(at(key)));
      return null;
    }
    return node.get(key);
  }

  /** Rules a text value must follow beyond its length. */
  enum TextRule {
    NO_WHITESPACE("must not contain white space", "value_error.str.whitespace") {
      @Override
      boolean accepts(String text) {
        for (int i = 0; i < text.length(); ) {
          int c = text.codePointAt(i);
          if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            return false;
          }
          i += Character.charCount(c);
        }
        return true;
      }
    },
    NO_CONTROL("must not contain control characters", "value_error.str.control") {
      @Override
      boolean accepts(String text) {
        for (int i = 0; i < text.length(); i++) {
          char c = text.charAt(i);
          if (c <= 0x1F || c == 0x7F) {
            return false;
          }
        }
        return true;
      }
    },
    /** What InfluxDB 1.x can store as a tag or measurement and give back unchanged. */
    STORABLE_AS_TAG("must not have a backslash before a space, a comma or an equals sign, or at the end",
        "value_error.str.backslash") {
      @Override
      boolean accepts(String text) {
        return !text.endsWith("\\") && !text.contains("\\ ") && !text.contains("\\,") && !text.contains("\\=");
      }
    },
    /**
     * InfluxDB 1.x's index reads a backslash before a double quote in a measurement as an escape and its storage
     * does not, so such a category's points could never be read again.
     */
    STORABLE_AS_MEASUREMENT("must not have a backslash before a double quote", "value_error.str.backslash") {
      @Override
      boolean accepts(String text) {
        return !text.contains("\\\"");
      }
    },
    /** A line that starts with '#' is a comment to InfluxDB: the event would be dropped without a word. */
    NO_LEADING_HASH("must not start with '#'", "value_error.str.leading_hash") {
      @Override
      boolean accepts(String text) {
        return !text.startsWith("#");
      }
    };

    final String message;
    final String type;

    TextRule(String message, String type) {
      this.message = message;
      this.type = type;
    }

    abstract boolean accepts(String text);
  }
}
