package io.auditlog.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConsolePageTest {

  @Test
  void thePolicyAllowsTheImportMapByItsHashAndNothingElseInline() throws Exception {
    ConsolePage page = ConsolePage.load();
    String html = page.html().toString(StandardCharsets.UTF_8);
    Matcher map = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL).matcher(html);
    assertThat(map.find()).isTrue();
    String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(map.group(1).getBytes(StandardCharsets.UTF_8)));
    assertThat(page.policy()).contains("script-src 'self' 'sha256-" + hash + "';", "style-src 'self';",
        "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'").doesNotContain("unsafe");
    assertThat(Pattern.compile("<script(?![^>]*(type=\"importmap\"|src=))").matcher(html).find())
        .as("no inline script besides the import map").isFalse();
    assertThat(html).doesNotContain("style=", " on");
  }

  @Test
  void aPageWithoutExactlyOneImportMapIsRefused() {
    assertThatThrownBy(() -> ConsolePage.importMapHash("<html></html>")).isInstanceOf(IllegalStateException.class);
    String two = "<script type=\"importmap\">{}</script><script type=\"importmap\">{}</script>";
    assertThatThrownBy(() -> ConsolePage.importMapHash(two)).isInstanceOf(IllegalStateException.class);
  }
}
