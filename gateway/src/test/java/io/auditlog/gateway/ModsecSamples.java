package io.auditlog.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The entries S1–S4 and the summaries of S1 and S2, from modsecurity-samples.txt. */
final class ModsecSamples {

  private static final String TEXT = load();

  private ModsecSamples() {
  }

  private static String load() {
    try (InputStream in = ModsecSamples.class.getResourceAsStream("/modsecurity-samples.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text between {@code === BEGIN <name> ... ===} and {@code === END <name> ===}. */
  static String serial(String name) {
    int begin = TEXT.indexOf('\n', TEXT.indexOf("=== BEGIN " + name + " ")) + 1;
    return TEXT.substring(begin, TEXT.indexOf("=== END " + name + " ===", begin));
  }

  /** The concurrent-log file mlogc uploads: the serial form without its final blank line. */
  static String concurrent(String name) {
    String serial = serial(name);
    return serial.endsWith("\n\n") ? serial.substring(0, serial.length() - 1) : serial;
  }

  static byte[] file(String name) {
    return concurrent(name).getBytes(StandardCharsets.UTF_8);
  }

  static String summary(String name) {
    int begin = TEXT.indexOf('\n', TEXT.indexOf("=== SUMMARY " + name + " ===")) + 1;
    return TEXT.substring(begin, TEXT.indexOf('\n', begin));
  }
}
