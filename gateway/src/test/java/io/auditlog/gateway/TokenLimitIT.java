package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An account's live API tokens are limited, also when it asks for many at once; a revoked one makes room. */
class TokenLimitIT {

  @Test
  void parallelRequestsCreateNoMoreLiveTokensThanTheLimit() throws Exception {
    try (TestGateway gateway = new TestGateway(Map.of("AUDIT_API_TOKENS_PER_ACCOUNT", "3"))) {
      String username = "tokens" + UUID.randomUUID().toString().substring(0, 8);
      String jwt = gateway.login(gateway.activeUser(username, "example.com", "Tokens@Test12345"), "Tokens@Test12345");
      List<CompletableFuture<HttpResponse<String>>> asked = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        asked.add(TestGateway.HTTP.sendAsync(create(gateway, jwt, "t" + i).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> answer : asked) {
        statuses.add(answer.get().statusCode());
        if (answer.get().statusCode() == 409) {
          assertThat(answer.get().body()).contains("\"too_many_tokens\"");
        }
      }
      assertThat(statuses).filteredOn(status -> status == 201).hasSize(3);
      assertThat(statuses).filteredOn(status -> status == 409).hasSize(7);

      long id = TestGateway.expect(gateway.bearer("/users/tokens", jwt).GET(), 200).get(0).path("id").asLong();
      TestGateway.expect(gateway.bearer("/users/tokens/" + id, jwt).DELETE(), 204);
      TestGateway.expect(create(gateway, jwt, "after-revoking"), 201);
      TestGateway.expect(create(gateway, jwt, "past-the-limit"), 409);
    }
  }

  private static HttpRequest.Builder create(TestGateway gateway, String jwt, String name) {
    return gateway.bearer("/users/tokens", jwt).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"permissions\":[\"read\"]}"));
  }
}
