package io.auditlog.model;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An InfluxDB user and its password. {@link #toString()} never shows the password, so logging one is harmless. */
public record InfluxCredential(String user, String password) {

  /** The value of an HTTP {@code Authorization} header that logs in as this user. */
  public String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "InfluxCredential[user=" + user + ", password=(hidden)]";
  }
}
