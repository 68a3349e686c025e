package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A validation error lists a bounded number of fields, whatever a body holds. */
class ApiExceptionTest {

  @Test
  void aBodyOfManyUnknownKeysIsAnsweredWithTheFirstHundredAndACount() {
    StringBuilder keys = new StringBuilder("{");
    for (int i = 0; i < 5_000; i++) {
      keys.append("\"u").append(i).append("\":0,");
    }
    JsonNode body = Json.parseBody(keys.append("\"category\":\"web\"}").toString().getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> new EventValidator().validate(body)).isInstanceOfSatisfying(ApiException.class, error -> {
      assertThat(error.status()).isEqualTo(422);
      assertThat(error.fieldErrors()).hasSize(ApiException.MAX_FIELD_ERRORS + 1);
      FieldError last = error.fieldErrors().get(ApiException.MAX_FIELD_ERRORS);
      assertThat(last.loc()).containsExactly("body");
      assertThat(last.type()).isEqualTo("value_error.more");
      assertThat(last.msg()).matches("\\d+ more errors not listed");
      int counted = ApiException.MAX_FIELD_ERRORS + Integer.parseInt(last.msg().split(" ")[0]);
      assertThat(counted).as("every error counted").isGreaterThanOrEqualTo(5_000);
    });
  }
}
