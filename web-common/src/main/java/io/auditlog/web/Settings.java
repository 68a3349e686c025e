package io.auditlog.web;

import io.auditlog.model.Durations;
import io.auditlog.model.KafkaLogin;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Typed reads of configuration from environment variables, each with its default. A value that does not parse
 * stops start-up with the variable's name, so a typo never runs with a silent default.
 */
public final class Settings {

  private final Map<String, String> env;

  public Settings(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static Settings fromEnvironment() {
    return new Settings(System.getenv());
  }

  public String text(String name, String defaultValue) {
    String value = env.get(name);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  /** A required secret of at least 32 characters. The message names the variable, never the value. */
  public String secret(String name) {
    String value = text(name, "");
    if (value.length() < 32) {
      throw new IllegalArgumentException(name + " must be set to a secret of at least 32 characters");
    }
    return value;
  }

  /**
   * A required secret that can hold 256 bits of randomness, as {@link SecretStrength} judges it. The message names the
   * variable and the reason, never the value.
   */
  public String randomSecret(String name) {
    String value = text(name, "");
    SecretStrength.problem(value).ifPresent(problem -> {
      throw new IllegalArgumentException(name + " " + problem);
    });
    return value;
  }

  /** A feature's switch: {@code on} or {@code off} (any case); unset is {@code defaultOn}. */
  public boolean on(String name, boolean defaultOn) {
    return choice(name, defaultOn ? Switch.ON : Switch.OFF) == Switch.ON;
  }

  private enum Switch { ON, OFF }

  /** {@code true} or {@code false} (any case); unset is {@code false}. */
  public boolean flag(String name) {
    String value = text(name, "false");
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw invalid(name, value, "true or false");
    }
    return value.equalsIgnoreCase("true");
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < min || parsed > max) {
        throw invalid(name, value, "a whole number from " + min + " to " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(name, value, "a whole number from " + min + " to " + max);
    }
  }

  /** A whole number from {@code min} to {@code max}, or empty when the variable is not set. */
  public OptionalInt optionalInteger(String name, int min, int max) {
    String value = env.get(name);
    return value == null || value.isBlank() ? OptionalInt.empty() : OptionalInt.of(integer(name, min, min, max));
  }

  public int port(String name, int defaultValue) {
    return integer(name, defaultValue, 0, 65535);
  }

  /** A duration written as a whole number with a unit: {@code 200ms}, {@code 60s}, {@code 5m}, {@code 1h}, {@code 1d}. */
  public Duration duration(String name, Duration defaultValue) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    return Durations.parse(value.trim())
        .orElseThrow(() -> invalid(name, value, "a duration such as 200ms, 60s, 5m, 1h or 1d"));
  }

  public <E extends Enum<E>> E choice(String name, E defaultValue) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(defaultValue.getDeclaringClass(), value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(name, value, "one of " + Arrays.toString(defaultValue.getDeclaringClass()
          .getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }

  /**
   * The SCRAM-SHA-512 login of a Kafka client: {@code <prefix>_USER} (default {@code defaultUser}), {@code
   * <prefix>_PASSWORD} (required) and {@code AUDIT_KAFKA_SECURITY_PROTOCOL} ({@code SASL_PLAINTEXT} or
   * {@code SASL_SSL}).
   */
  public KafkaLogin kafkaLogin(String prefix, String defaultUser) {
    String password = env.getOrDefault(prefix + "_PASSWORD", "");
    if (password.isEmpty()) {
      throw new IllegalArgumentException(prefix + "_PASSWORD must be set (the Kafka SCRAM password of "
          + text(prefix + "_USER", defaultUser) + ")");
    }
    String protocol = text("AUDIT_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    if (!protocol.equals("SASL_PLAINTEXT") && !protocol.equals("SASL_SSL")) {
      throw invalid("AUDIT_KAFKA_SECURITY_PROTOCOL", protocol, "SASL_PLAINTEXT or SASL_SSL");
    }
    return new KafkaLogin(protocol, text(prefix + "_USER", defaultUser), password);
  }

  private static IllegalArgumentException invalid(String name, String value, String expected) {
    return new IllegalArgumentException(name + "=" + value + " is not valid: expected " + expected);
  }
}
