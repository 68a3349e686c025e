package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.web.InternalTokens;
import io.auditlog.store.InfluxWriter;
import io.auditlog.store.LineProtocol;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code delete?limit=-1} over 100,000 matching events, with 20,000 others among them — 200 of those inside the
 * very series being deleted — leaves exactly the others, and nothing of the deleted ones in the trail index.
 */
class ConsoleBulkDeleteIT {

  private static final int MATCHING = 100_000;
  private static final int KEPT_IN_SAME_SERIES = 200;
  private static final int KEPT_ELSEWHERE = 19_800;
  private static final String FILTER = "app = shop AND NOT origin @ipMatch 192.168.0.0/16";

  @Test
  void deletesOneHundredThousandMatchesAndNothingElse() throws Exception {
    String tenant = "bulk" + UUID.randomUUID().toString().substring(0, 8);
    int total = MATCHING + KEPT_IN_SAME_SERIES + KEPT_ELSEWHERE;
    Instant start = Instant.now().minus(Duration.ofHours(20));
    Set<String> kept = new HashSet<>();
    List<String> lines = new ArrayList<>(total * 2);
    int keptInSeries = 0;
    int keptElsewhere = 0;
    for (int i = 0; i < total; i++) {
      boolean bank = i % 6 == 5 && keptElsewhere < KEPT_ELSEWHERE;
      boolean otherOrigin = i % 600 == 1 && keptInSeries < KEPT_IN_SAME_SERIES;
      AuditEvent event = new AuditEvent("web", bank ? "bank" : "shop", "prod", i % 2 == 0 ? "GET" : "POST",
          i % 3 == 0 ? "500" : "200", "info", new Action("request", "http", 1, 1, 0.1, 0.2, 0.3, Optional.empty(),
              Optional.empty()),
          new Actor((otherOrigin ? "192.168.7." : "10.1.2.") + (i % 250), Optional.empty()), Optional.empty(),
          Optional.empty());
      long millis = start.plusMillis(i * 500L).toEpochMilli();
      String id = RecordStamper.uuid7(millis, tenant + "#" + i).toString();
      StampedEvent stamped = new StampedEvent(tenant, id, RecordStamper.uuid7(millis, tenant + "/" + i).toString(),
          millis * 1_000_000L, 1, event);
      lines.addAll(LineProtocol.encodeWithTrail(stamped));
      if (bank || otherOrigin) {
        kept.add(id);
        keptInSeries += otherOrigin ? 1 : 0;
        keptElsewhere += bank ? 1 : 0;
      }
    }
    assertThat(kept).hasSize(KEPT_IN_SAME_SERIES + KEPT_ELSEWHERE);
    InfluxWriter writer = TestQueryService.provisionedWriter(tenant);
    for (int from = 0; from < lines.size(); from += 20_000) {
      assertThat(writer.write(InfluxNames.database(tenant), lines.subList(from, Math.min(lines.size(),
          from + 20_000)))).isEmpty();
    }

    try (TestQueryService service = new TestQueryService(Duration.ofMinutes(5))) {
      long started = System.nanoTime();
      HttpResponse<String> answer = service.send("POST", "/api/events/delete?limit=-1&filter="
          + URLEncoder.encode(FILTER, StandardCharsets.UTF_8), new InternalTokens.Identity(tenant, Optional.empty(),
          true));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      System.out.printf("deleted %s events in %d ms%n", answer.body().trim(), took.toMillis());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo(MATCHING + "\n");
    }
    assertThat(new HashSet<>(TestQueryService.influxColumn(tenant, "SELECT \"id\" FROM \"web\""))).isEqualTo(kept);
    assertThat(TestQueryService.influxColumn(tenant,
        "SELECT \"event_id\" FROM \"audit trail\" WHERE \"event_id\" != ''")).hasSize(kept.size());
  }
}
