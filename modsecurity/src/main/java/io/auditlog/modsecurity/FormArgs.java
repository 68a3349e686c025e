package io.auditlog.modsecurity;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes {@code application/x-www-form-urlencoded} text (a query string or a body) into name/value pairs. */
final class FormArgs {
  private FormArgs() {
  }

  static List<Header> decode(String text) {
    List<Header> args = new ArrayList<>();
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      args.add(new Header(unescape(name), unescape(value)));
    }
    return args;
  }

  /** Percent-decoding with '+' as a space; a malformed escape is kept as it is. */
  static String unescape(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
      int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
      if (bytes[i] == '%' && hi >= 0 && lo >= 0) {
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(bytes[i] == '+' ? ' ' : bytes[i]);
      }
    }
    byte[] decoded = out.toByteArray();
    return Text.lenient(decoded, 0, decoded.length);
  }
}
