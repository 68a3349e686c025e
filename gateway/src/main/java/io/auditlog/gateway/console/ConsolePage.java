package io.auditlog.gateway.console;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The console's one HTML page and the Content-Security-Policy that goes with it. The page's only inline script is
 * its import map (browsers take no import map from a file), so the policy allows exactly that text by its SHA-256
 * and nothing else inline: no {@code 'unsafe-inline'}, no {@code 'unsafe-eval'}, scripts and styles from this
 * origin only, no frames, no plugins, requests to this origin only.
 */
final class ConsolePage {

  static final String RESOURCE = "console/index.html";
  private static final String MAP_OPEN = "<script type=\"importmap\">";

  private final Buffer html;
  private final String policy;

  private ConsolePage(String html) {
    this.html = Buffer.buffer(html);
    this.policy = "default-src 'none'; script-src 'self' '" + importMapHash(html) + "'; style-src 'self'; "
        + "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'; object-src 'none'";
  }

  static ConsolePage load() {
    try (InputStream in = ConsolePage.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the gateway's resources");
      }
      return new ConsolePage(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Buffer html() {
    return html;
  }

  /** The Content-Security-Policy of every console response. */
  String policy() {
    return policy;
  }

  /** {@code sha256-...} of the import map's text, exactly as it stands between its tags. */
  static String importMapHash(String html) {
    int open = html.indexOf(MAP_OPEN);
    int close = html.indexOf("</script>", open);
    if (open < 0 || close < 0 || html.indexOf(MAP_OPEN, close) >= 0) {
      throw new IllegalStateException(RESOURCE + " must hold exactly one import map");
    }
    String map = html.substring(open + MAP_OPEN.length(), close);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(map.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
