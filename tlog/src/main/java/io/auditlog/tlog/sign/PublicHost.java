package io.auditlog.tlog.sign;

import java.util.regex.Pattern;

/**
 * The host name (and optional port) under which the service is reached, as {@code AUDIT_PUBLIC_HOST} gives it:
 * lower-case, no scheme, no path. Each tenant's origin, the name of its tree and of its checkpoints' keys, is
 * {@code <host>/audit/<tenant>}.
 */
public record PublicHost(String name) {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern HOST = Pattern.compile(LABEL + "(\\." + LABEL + ")*(:[1-9][0-9]{0,4})?");

  /** @throws IllegalArgumentException when {@code name} is not a lower-case host with an optional port */
  public PublicHost {
    if (name == null || !HOST.matcher(name).matches() || name.length() > 253 || port(name) > 65535) {
      throw new IllegalArgumentException("AUDIT_PUBLIC_HOST=" + name + " is not valid: expected a lower-case host "
          + "name with an optional port, without scheme or path, e.g. audit.example.com or localhost:8000");
    }
  }

  private static int port(String host) {
    int colon = host.indexOf(':');
    return colon < 0 ? 0 : Integer.parseInt(host.substring(colon + 1));
  }

  /** {@code <host>/audit/<tenant>}; the tenant id is the decimal account id. */
  public String origin(long tenant) {
    if (tenant <= 0) {
      throw new IllegalArgumentException("tenant ids are positive: " + tenant);
    }
    return name + "/audit/" + tenant;
  }
}
