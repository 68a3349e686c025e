package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViewAndRawTest {
  /** The event as read back: through its JSON text, as the store gives it. */
  static JsonNode stored(String name) throws Exception {
    ObjectNode event = GoldenEventsTest.event(Samples.concurrent(name), GoldenEventsTest.summaryOf(name));
    return Samples.json(Json.toText(event));
  }

  static List<String> values(String name, String variable, String member) throws Exception {
    return ModsecView.of(stored(name)).orElseThrow().values(variable, Optional.ofNullable(member));
  }

  @Test
  void s1Values() throws Exception {
    assertThat(values("S1", "ARGS", "password")).containsExactly("' OR '1'='1");
    assertThat(values("S1", "ARGS_POST", "username")).containsExactly("admin");
    assertThat(values("S1", "ARGS_GET", "next")).containsExactly("/dashboard");
    assertThat(values("S1", "ARGS", "Password")).isEmpty();
    assertThat(values("S1", "ARGS_NAMES", null)).containsExactly("next", "username", "password");
    assertThat(values("S1", "REQUEST_URI", null)).containsExactly("/account/login.php");
    assertThat(values("S1", "REQUEST_URI_RAW", null)).containsExactly("/account/login.php?next=%2Fdashboard");
    assertThat(values("S1", "QUERY_STRING", null)).containsExactly("next=%2Fdashboard");
    assertThat(values("S1", "REQUEST_LINE", null))
        .containsExactly("POST /account/login.php?next=%2Fdashboard HTTP/1.1");
    assertThat(values("S1", "REQUEST_PROTOCOL", null)).containsExactly("HTTP/1.1");
    assertThat(values("S1", "REQUEST_COOKIES", "phpsessid")).containsExactly("4f2k8d1s9a7c3b5e6g0h2j4l6n");
    assertThat(values("S1", "REQUEST_COOKIES_NAMES", null)).containsExactly("PHPSESSID");
    assertThat(values("S1", "REQUEST_BODY", null)).containsExactly("username=admin&password=%27+OR+%271%27%3D%271");
    assertThat(values("S1", "RESPONSE_BODY", null).get(0)).contains("403 Forbidden");
    assertThat(values("S1", "RESPONSE_PROTOCOL", null)).containsExactly("HTTP/1.1");
    assertThat(values("S1", "RESPONSE_HEADERS", "content-type")).containsExactly("text/html; charset=iso-8859-1");
    assertThat(values("S1", "REMOTE_PORT", null)).containsExactly("51234");
    assertThat(values("S1", "SERVER_ADDR", null)).containsExactly("192.0.2.10");
    assertThat(values("S1", "SERVER_NAME", null)).containsExactly("192.0.2.10");
    assertThat(values("S1", "SERVER_PORT", null)).containsExactly("443");
    assertThat(values("S1", "RULE_ID", null)).containsExactly("942100", "949110");
    assertThat(values("S1", "RULE_SEV", null)).containsExactly("2", "2");
    assertThat(values("S1", "RULE_LINE", null)).containsExactly("65", "93");
    assertThat(values("S1", "MESSAGE", null))
        .containsExactly("detected SQLi using libinjection with fingerprint 's&sos'",
            "Operator GE matched 5 at TX:anomaly_score.");
    assertThat(values("S1", "RULE_DATA", null))
        .containsExactly("Matched Data: s&sos found within ARGS:password: ' OR '1'='1");
    assertThat(values("S1", "UNIQUE_ID", null)).containsExactly("Z9FSwn8AAQEAAB4rBgQAAAAA");
    assertThat(values("S1", "SENSOR_DATE", null)).containsExactly("2025-03-12T10:15:30.482913+01:00");
  }

  @Test
  void s2Values() throws Exception {
    assertThat(values("S2", "REQUEST_HEADERS", "user-agent"))
        .containsExactly("Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000562)");
    assertThat(values("S2", "REQUEST_HEADERS", "USER-AGENT")).hasSize(1);
    assertThat(values("S2", "REQUEST_HEADERS_NAMES", null))
        .containsExactly("Host", "User-Agent", "Accept", "Connection");
    assertThat(values("S2", "RULE_ID", null)).containsExactly("913100", "920350", "949110");
    assertThat(values("S2", "HIGHEST_SEVERITY", null)).containsExactly("2");
    assertThat(values("S2", "LOWEST_SEVERITY", null)).containsExactly("4");
    assertThat(values("S2", "WEBAPPID", null)).containsExactly("blog");
    assertThat(values("S2", "SESSIONID", null)).isEmpty();
    assertThat(values("S2", "ARGS", null)).isEmpty();
  }

  @Test
  void s3Values() throws Exception {
    assertThat(values("S3", "QUERY_STRING", null)).containsExactly("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assertThat(values("S3", "ARGS", "q")).containsExactly("<script>alert(1)</script>");
    assertThat(values("S3", "RULE_TAG", null)).startsWith("application-multi").contains("attack-xss");
    assertThat(values("S3", "HIGHEST_SEVERITY", null)).containsExactly("0");
    assertThat(values("S3", "REQUEST_HEADERS", "User-Agent")).containsExactly("curl/8.5.0");
    assertThat(values("S3", "RESPONSE_PROTOCOL", null)).containsExactly("HTTP/1.1");
  }

  @Test
  void s4Values() throws Exception {
    assertThat(values("S4", "REQUEST_HEADERS", "content-type")).containsExactly("application/json");
    assertThat(values("S4", "RULE_ID", null)).isEmpty();
    assertThat(values("S4", "UNIQUE_ID", null)).containsExactly("174177468935.112740");
    assertThat(values("S4", "REQUEST_URI", null)).containsExactly("/api/v1/orders");
    assertThat(values("S4", "REQUEST_METHOD", null)).containsExactly("POST");
    assertThat(values("S4", "REQUEST_BODY", null)).containsExactly("{\"sku\":\"A-1001\",\"qty\":2}");
    assertThat(values("S4", "RESPONSE_HEADERS", "server")).containsExactly("nginx");
    assertThat(values("S4", "SERVER_PORT", null)).containsExactly("443");
  }

  @Test
  void unknownVariablesAndMembersAreRefused() throws Exception {
    ModsecView view = ModsecView.of(stored("S1")).orElseThrow();
    assertThatThrownBy(() -> view.values("TAGS", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> view.values("RULE_ID", Optional.of("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(ModsecView.of(Samples.json("{\"event\":{\"name\":\"x\"}}"))).isEmpty();
  }

  @Test
  void aViewDecodesItsArgumentsOnceForAllConditions() throws Exception {
    String body = "a=x&" + "b=%41%42%43&".repeat(4500);
    String text = Samples.concurrent("S1").replace("username=admin&password=%27+OR+%271%27%3D%271", body)
        .replace("Content-Length: 45", "Content-Length: " + body.length());
    JsonNode stored = Samples.json(Json.toText(GoldenEventsTest.event(text, Optional.empty())));
    ModsecView view = ModsecView.of(stored).orElseThrow();
    long fresh = 0;
    long cached = 0;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      for (int condition = 0; condition < 200; condition++) {
        assertThat(ModsecView.of(stored).orElseThrow().values("ARGS", Optional.of("a"))).containsExactly("x");
      }
      fresh = System.nanoTime() - start;
      start = System.nanoTime();
      for (int condition = 0; condition < 200; condition++) {
        assertThat(view.values("ARGS", Optional.of("a"))).containsExactly("x");
      }
      cached = System.nanoTime() - start;
    }
    assertThat(cached).as("200 conditions over one view, against 200 views").isLessThan(fresh / 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"S1", "S2", "S3"})
  void rawEntryRebuildsNativeEntriesByteForByte(String name) throws Exception {
    for (String text : List.of(Samples.concurrent(name), Samples.crlf(Samples.concurrent(name)),
        Samples.entry(name), "\uFEFF\n" + Samples.concurrent(name),
        Samples.concurrent(name).replaceFirst("\n", "\r\n"))) {
      ObjectNode event = GoldenEventsTest.event(text, Optional.empty());
      JsonNode stored = Samples.json(Json.toText(event));
      assertThat(RawEntry.rebuild(stored)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(
          Samples.bytes(text)));
    }
  }

  @Test
  void rawEntryGivesTheJsonObjectAndNothingWhenCut() throws Exception {
    assertThat(Samples.json(new String(RawEntry.rebuild(stored("S4")).orElseThrow())))
        .isEqualTo(Samples.json(Samples.entry("S4")));
    String huge = Samples.concurrent("S1").replace("<html><head>", "x".repeat(200_000) + "<html><head>");
    JsonNode cut = Samples.json(Json.toText(GoldenEventsTest.event(huge, Optional.empty())));
    assertThat(RawEntry.rebuild(cut)).isEmpty();
  }
}
