package io.auditlog.tlog;

import java.util.Locale;

/** A tenant tree's origin: {@code <public host>/audit/<tenant id>}, the host lower-case, without a scheme. */
public final class Origins {

  private Origins() {
  }

  public static String of(String publicHost, long tenant) {
    return publicHost.toLowerCase(Locale.ROOT) + "/audit/" + tenant;
  }
}
