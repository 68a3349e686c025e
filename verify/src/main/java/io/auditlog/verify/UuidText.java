package io.auditlog.verify;

import java.util.UUID;
import java.util.regex.Pattern;

/** UUIDs in their one canonical text form: 8-4-4-4-12 hex digits. */
final class UuidText {

  private static final Pattern FORMAT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private UuidText() {
  }

  /**
   * Reads a UUID; {@link UUID#fromString} alone would take shortened groups too.
   *
   * @throws IllegalArgumentException for any other form
   */
  static UUID parse(String text) {
    if (!FORMAT.matcher(text).matches()) {
      throw new IllegalArgumentException("not a UUID: \"" + text + "\"");
    }
    return UUID.fromString(text);
  }
}
