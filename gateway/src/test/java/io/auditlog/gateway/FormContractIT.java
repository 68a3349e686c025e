package io.auditlog.gateway;

import static io.auditlog.gateway.TestGateway.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract of the form endpoints: a body that is not a form is a 415, a missing field or query parameter a 422
 * naming it — on login, activation and reset too.
 */
class FormContractIT {

  private static final String PASSWORD = "Password@12345";
  private static FakeQueryService queries;
  private static TestGateway gateway;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    queries = new FakeQueryService();
    gateway = new TestGateway(Map.of("AUDIT_QUERY_URL", queries.url));
    token = gateway.login(gateway.activeUser("form" + UUID.randomUUID().toString().substring(0, 8), "example.com",
        PASSWORD), PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    queries.close();
  }

  private static HttpRequest.Builder withBody(String method, String path, String contentType, String body) {
    HttpRequest.Builder request = gateway.bearer(path, token)
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    return contentType.isEmpty() ? request : request.header("Content-Type", contentType);
  }

  private static List<String> locs(JsonNode answer) {
    List<String> locs = new ArrayList<>();
    answer.path("detail").forEach(error -> locs.add(error.path("loc").toString()));
    return locs;
  }

  @ParameterizedTest
  @CsvSource({
      "POST,  /auth/signup",
      "POST,  /auth/activate/resend",
      "POST,  /auth/login",
      "POST,  /auth/password/forgot",
      "PATCH, /auth/password/reset?key=abc",
      "PATCH, /auth/password/change"})
  void jsonOrAnUntypedBodyIsNotAForm(String method, String path) throws Exception {
    String json = "{\"username\":\"admin\",\"password\":\"" + TestGateway.ADMIN_PASSWORD + "\",\"email\":\"a@b.co\"}";
    JsonNode answer = expect(withBody(method, path, "application/json", json), 415);
    assertThat(answer.path("detail").path("type").asText()).isEqualTo("unsupported_media_type");
    expect(withBody(method, path, "", "username=admin"), 415);
    expect(withBody(method, path, "text/plain", "username=admin"), 415);
  }

  /** A JSON filter read as no filter at all would delete the newest event of any kind. */
  @Test
  void aDeleteCommandWithAJsonBodyIsRefusedBeforeItRuns() throws Exception {
    String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + TestGateway.ADMIN_PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    int before = queries.requests();
    expect(gateway.request("/api/events/delete").header("Authorization", basic)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"filter\":\"APP = shop\",\"limit\":1}")), 415);
    assertThat(queries.requests()).isEqualTo(before);
    assertThat(TestGateway.send(gateway.request("/api/events/delete").header("Authorization", basic)
        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString("filter=APP+%3D+shop"))).body()).isEqualTo("0");
    assertThat(queries.requests()).isEqualTo(before + 1);
  }

  /** The body handler drops file parts: a multipart delete with its filter as a file would run without it. */
  @Test
  void aMultipartDeleteCommandIsRefusedBeforeItRuns() throws Exception {
    String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + TestGateway.ADMIN_PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    int before = queries.requests();
    String multipart = "--xyz\r\nContent-Disposition: form-data; name=\"filter\"; filename=\"f.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\nREQUEST_METHOD = NOPE\r\n--xyz--\r\n";
    JsonNode answer = expect(gateway.request("/api/events/delete?limit=-1").header("Authorization", basic)
        .header("Content-Type", "multipart/form-data; boundary=xyz")
        .POST(HttpRequest.BodyPublishers.ofString(multipart)), 415);
    assertThat(answer.path("detail").path("type").asText()).isEqualTo("unsupported_media_type");
    assertThat(queries.requests()).isEqualTo(before);
  }

  /** NUL can't be stored in PostgreSQL's text: such input is a client error, never a 500. */
  @Test
  void nulInAUsernameOrATokenFieldIsAClientError() throws Exception {
    expect(withBody("POST", "/auth/login", "application/x-www-form-urlencoded", "username=admin%00&password=x"),
        401);
    String basic = "Basic " + Base64.getEncoder().encodeToString("admin\0:x".getBytes(StandardCharsets.UTF_8));
    expect(gateway.request("/api/events/count").header("Authorization", basic), 401);
    JsonNode name = expect(withBody("POST", "/users/tokens", "application/json", "{\"name\":\"a\\u0000b\"}"), 422);
    assertThat(locs(name)).containsExactly("[\"body\",\"name\"]");
    JsonNode view = expect(withBody("POST", "/users/tokens", "application/json",
        "{\"name\":\"v\",\"view\":\"APP = \\\"a\\u0000\\\"\"}"), 422);
    assertThat(locs(view)).containsExactly("[\"body\",\"view\"]");
  }

  /** Only the methods that carry a body have it read: a multipart body on a GET or OPTIONS is not a 500. */
  @Test
  void aBodyOnAMethodWithoutOneIsIgnored() throws Exception {
    for (String method : List.of("GET", "OPTIONS")) {
      HttpResponse<String> answer = TestGateway.send(gateway.request("/openapi.json")
          .header("Content-Type", "multipart/form-data; boundary=x")
          .method(method, HttpRequest.BodyPublishers.ofString("a=b")));
      assertThat(answer.statusCode()).as(method).isLessThan(500);
    }
  }

  @Test
  void aFormWithACharsetIsAForm() throws Exception {
    assertThat(expect(withBody("POST", "/auth/login", "application/x-www-form-urlencoded; charset=UTF-8",
        "username=admin&password=" + TestGateway.ADMIN_PASSWORD.replace("@", "%40")), 200)
        .path("token_type").asText()).isEqualTo("Bearer");
  }

  @Test
  void missingLoginFieldsAreNamed() throws Exception {
    assertThat(locs(expect(gateway.formRequest("POST", "/auth/login", Map.of()), 422)))
        .containsExactly("[\"form\",\"username\"]", "[\"form\",\"password\"]");
    assertThat(locs(expect(gateway.formRequest("POST", "/auth/login", Map.of("username", "admin", "password", "")),
        422))).containsExactly("[\"form\",\"password\"]");
    assertThat(locs(expect(withBody("POST", "/auth/login", "", ""), 422)))
        .containsExactly("[\"form\",\"username\"]", "[\"form\",\"password\"]");
  }

  @Test
  void aMissingActivationKeyIsNamed() throws Exception {
    assertThat(locs(expect(gateway.request("/auth/activate").GET(), 422))).containsExactly("[\"query\",\"key\"]");
    assertThat(locs(expect(gateway.request("/auth/activate?key=").GET(), 422))).containsExactly("[\"query\",\"key\"]");
    expect(gateway.request("/auth/activate?key=unknown").GET(), 410);
  }

  @Test
  void aResetNamesEveryMissingPartTheKeyIncluded() throws Exception {
    assertThat(locs(expect(gateway.formRequest("PATCH", "/auth/password/reset", Map.of()), 422)))
        .containsExactly("[\"query\",\"key\"]", "[\"form\",\"newPassword\"]", "[\"form\",\"repeatPassword\"]");
    assertThat(locs(expect(gateway.formRequest("PATCH", "/auth/password/reset", Map.of("newPassword", PASSWORD,
        "repeatPassword", PASSWORD)), 422))).containsExactly("[\"query\",\"key\"]");
    expect(gateway.formRequest("PATCH", "/auth/password/reset?key=unknown", Map.of("newPassword", PASSWORD,
        "repeatPassword", PASSWORD)), 410);
  }

  @Test
  void aChangeNamesEveryMissingField() throws Exception {
    assertThat(locs(expect(gateway.formRequest("PATCH", "/auth/password/change", Map.of())
        .header("Authorization", "Bearer " + token), 422)))
        .containsExactly("[\"form\",\"password\"]", "[\"form\",\"newPassword\"]", "[\"form\",\"repeatPassword\"]");
  }
}
