package io.auditlog.query.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which {@code Accept-Encoding} values get a gzipped answer. */
class EncodedBodyTest {

  @Test
  void gzipIsUsedWhenAcceptedWithAWeightAboveZero() {
    assertThat(EncodedBody.acceptsGzip("gzip")).isTrue();
    assertThat(EncodedBody.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
    assertThat(EncodedBody.acceptsGzip("*")).isTrue();
    assertThat(EncodedBody.acceptsGzip(null)).isFalse();
    assertThat(EncodedBody.acceptsGzip("identity")).isFalse();
    assertThat(EncodedBody.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(EncodedBody.acceptsGzip("gzip; q=0.000")).isFalse();
    assertThat(EncodedBody.acceptsGzip("br, deflate")).isFalse();
  }
}
