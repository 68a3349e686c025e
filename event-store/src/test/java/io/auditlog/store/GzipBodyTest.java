package io.auditlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipBodyTest {

  @Test
  void theChunksSentAreTheLinesCompressedAndTheirLengthIsDeclared() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      lines.add("m,t=a v=" + i + ",s=\"" + UUID.randomUUID() + " é\" " + i);
    }
    var body = GzipBody.of(lines);

    List<ByteBuffer> sent = published(body);

    assertThat(sent).hasSizeGreaterThan(2).allSatisfy(b -> assertThat(b.remaining()).isLessThanOrEqualTo(
        GzipBody.CHUNK));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    sent.forEach(b -> all.write(b.array(), b.arrayOffset() + b.position(), b.remaining()));
    assertThat((long) all.size()).isEqualTo(body.contentLength());
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(all.toByteArray()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(String.join("\n", lines) + "\n");
    }
  }

  @Test
  void aFewLinesAreOneChunk() {
    var body = GzipBody.of(List.of("m v=1 1"));
    List<ByteBuffer> sent = published(body);
    assertThat(sent).hasSize(1);
    assertThat((long) sent.get(0).remaining()).isEqualTo(body.contentLength()).isGreaterThan(20);
  }

  private static List<ByteBuffer> published(Flow.Publisher<ByteBuffer> body) {
    List<ByteBuffer> buffers = new ArrayList<>();
    boolean[] complete = new boolean[1];
    body.subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        buffers.add(item);
      }

      @Override
      public void onError(Throwable throwable) {
        throw new AssertionError(throwable);
      }

      @Override
      public void onComplete() {
        complete[0] = true;
      }
    });
    assertThat(complete[0]).isTrue();
    return buffers;
  }
}
