package io.auditlog.model;

import java.util.Map;

/**
 * How a Kafka client authenticates: SCRAM-SHA-512 over {@code SASL_PLAINTEXT} (or {@code SASL_SSL}) as one user.
 * Gives the client properties as plain strings, so this module needs no Kafka dependency. {@link #toString()} never
 * shows the password.
 */
public record KafkaLogin(String protocol, String user, String password) {

  public static final String MECHANISM = "SCRAM-SHA-512";

  public KafkaLogin {
    if (!protocol.equals("SASL_PLAINTEXT") && !protocol.equals("SASL_SSL")) {
      throw new IllegalArgumentException("Kafka security protocol must be SASL_PLAINTEXT or SASL_SSL, not "
          + protocol);
    }
    if (user.isBlank() || password.isEmpty()) {
      throw new IllegalArgumentException("Kafka user and password must be set");
    }
  }

  public static KafkaLogin scram(String user, String password) {
    return new KafkaLogin("SASL_PLAINTEXT", user, password);
  }

  /** {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} for this user. */
  public Map<String, Object> clientProperties() {
    return Map.of(
        "security.protocol", protocol,
        "sasl.mechanism", MECHANISM,
        "sasl.jaas.config", jaas(user, password));
  }

  /** The JAAS line of a SCRAM login, with quotes and backslashes escaped. */
  public static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + quoted(user)
        + "\" password=\"" + quoted(password) + "\";";
  }

  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Override
  public String toString() {
    return "KafkaLogin[" + protocol + ", " + MECHANISM + ", user=" + user + "]";
  }
}
