package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Documents without a canonical form (RFC 8785) are refused at the edge, so none reaches a tenant's history. */
class CanonicalizableTest {

  private static ApiException refused(String body) {
    return catchThrowableOfType(() -> Json.parseBody(body.getBytes(StandardCharsets.UTF_8)), ApiException.class);
  }

  @Test
  void aLoneSurrogateInAStringOrAKeyIsRefusedWhereverItIs() {
    for (String body : new String[] {"{\"a\":\"\\ud800\"}", "{\"a\":[\"x\\udc00y\"]}", "{\"\\ud83d\":1}",
        "{\"a\":{\"b\":\"\\ude00\\ud83d\"}}", "\"\\ud800\""}) {
      ApiException error = refused(body);
      assertThat(error).as(body).isNotNull();
      assertThat(error.status()).isEqualTo(422);
      assertThat(error.fieldErrors()).singleElement().satisfies(e -> {
        assertThat(e.loc()).first().isEqualTo("body");
        assertThat(e.msg()).contains("lone surrogate");
        assertThat(e.type()).isEqualTo("value_error.unicode");
      });
    }
  }

  @Test
  void aNumberBeyondA64BitFloatIsRefusedAndPairedSurrogatesAreText() {
    assertThat(refused("{\"a\":[0,1e400]}").fieldErrors()).singleElement().satisfies(e -> {
      assertThat(e.loc()).containsExactly("body", "a", 1);
      assertThat(e.msg()).contains("64-bit float");
    });
    assertThat(refused("[-1e309]")).isNotNull();
    // Integers are doubles to RFC 8785 too: 2^1024 − 2^970 is the first that rounds to infinity.
    BigInteger overflow = BigInteger.TWO.pow(1024).subtract(BigInteger.TWO.pow(970));
    assertThat(refused("{\"n\":" + overflow + "}").fieldErrors()).singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("value_error.number.not_finite"));
    assertThat(refused("[-1" + "0".repeat(309) + "]")).isNotNull();
    assertThat(Json.parseBody(("[" + overflow.subtract(BigInteger.ONE) + "]").getBytes(StandardCharsets.UTF_8))
        .get(0).doubleValue()).isEqualTo(Double.MAX_VALUE);
    JsonNode fine = Json.parseBody("{\"\\ud83d\\ude00\":\"\\ud83d\\udd10\",\"n\":1e308,\"z\":1e-400}"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(fine.path("\ud83d\ude00").asText()).isEqualTo("\ud83d\udd10");
  }

  @Test
  void theValidatorRefusesWhatABuilderPutInAnEventAndAWafsDataIsRepairedInstead() {
    ObjectNode body = SampleEvents.seedJson();
    ((ObjectNode) body.path("event").path("detail")).put("s", "a\ud800b");
    assertThat(catchThrowableOfType(() -> new EventValidator().validate(body), ApiException.class)).isNotNull();
    JsonNode repaired = Json.withoutLoneSurrogates(body);
    assertThat(repaired.path("event").path("detail").path("s").asText()).isEqualTo("a\uFFFDb");
    assertThat(new EventValidator().validate(repaired)).hasSize(1);
  }
}
