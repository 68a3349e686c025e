package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The request line read in place gives what splitting it into all its fields gives. */
class RequestLineTest {
  private static final String ALPHABET = "  \t\tGET/HTTP/1.1a?=\u00e9\u0001";

  /** The request line from all the fields of the line. */
  static RequestLine fromFields(String line) {
    List<String> fields = Text.fields(line);
    if (fields.isEmpty()) {
      return new RequestLine(Optional.empty(), Optional.empty(), Optional.empty());
    }
    boolean hasProtocol = fields.size() >= 3 && fields.get(fields.size() - 1).startsWith("HTTP/");
    Optional<String> uri = fields.size() < 2 ? Optional.empty()
        : Optional.of(String.join(" ", fields.subList(1, hasProtocol ? fields.size() - 1 : fields.size())));
    return new RequestLine(Optional.of(fields.get(0)).filter(RequestLine::isToken),
        uri.map(u -> Text.derived(u, EventMapper.MAX_URI_BYTES)),
        hasProtocol ? Optional.of(fields.get(fields.size() - 1)) : Optional.empty());
  }

  @Test
  void readInPlaceAsFromAllItsFields() {
    Random random = new Random(12L);
    for (int round = 0; round < 20_000; round++) {
      int length = random.nextInt(100) == 0 ? 5_000 + random.nextInt(5_000) : random.nextInt(30);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < length; i++) {
        line.append(random.nextInt(3) == 0 ? "HTTP/" : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      HttpHead head = new HttpHead(Optional.of(line.toString()), List.of());
      assertThat(RequestLine.of(head, Optional.empty())).as(line.toString())
          .isEqualTo(fromFields(line.toString()));
    }
  }
}
