package io.auditlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LineProtocolTest {

  @Test
  void encodesTheSeedEventWithTagsFieldsAndNanosecondTime() {
    StampedEvent event = SampleEvents.stamped("5", 1).get(0);
    String line = LineProtocol.encode(event);
    assertThat(line).startsWith("event_name,app=app_name,env=staging,event_name=Login,event_type=Authentication,"
        + "level=info,method=POST,resource_type=User,status=success ");
    assertThat(line).contains("id=\"" + event.id() + "\"", "stage=1i", "affected_resources=1i",
        "cpu_usage=0.5", "event_detail=\"{\\\"username\\\":\\\"johndoe\\\"}\"", "login_time=0.1");
    assertThat(line).endsWith(" " + event.timestampNanos());
  }

  @Test
  void theFourTagShapeKeepsFourTagsAndWritesTheOtherStringsAsFieldsOnEveryPoint() {
    StampedEvent event = SampleEvents.stamped("5", 1).get(0);
    String line = LineProtocol.encode(event, null, TagShape.FOUR_TAGS);
    assertThat(line).startsWith("event_name,app=app_name,env=staging,level=info,status=success event_name=\"Login\","
        + "event_type=\"Authentication\",method=\"POST\",resource_type=\"User\",id=\"" + event.id() + "\"");
    assertThat(LineProtocol.encodeWithTrail(event, null, TagShape.FOUR_TAGS).get(1))
        .contains("series=\"event_name,app=app_name,env=staging,level=info,status=success\"");
    AuditEvent e = event.event();
    StampedEvent withoutResource = new StampedEvent(event.tenant(), event.id(), event.eventId(),
        event.timestampNanos(), event.stage(), new AuditEvent(e.category(), e.application(), e.environment(),
            e.method(), e.status(), e.level(), e.event(), e.actor(), Optional.empty(), e.metadata()));
    assertThat(LineProtocol.encode(withoutResource, null, TagShape.FOUR_TAGS)).contains(",resource_type=\"\",");
    assertThat(LineProtocol.encode(withoutResource)).doesNotContain("resource_type");
  }

  @Test
  void everyEventHasATrailPointWithItsSeriesKey() {
    StampedEvent event = SampleEvents.stamped("5", 1).get(0);
    List<String> lines = LineProtocol.encodeWithTrail(event);
    String seriesKey = lines.get(0).substring(0, lines.get(0).indexOf(" id="));
    assertThat(lines.get(1)).isEqualTo("audit\\ trail,bucket=" + InfluxNames.trailBucket(event.eventId())
        + " event_id=\"" + event.eventId() + "\",series=\"" + seriesKey + "\" " + event.timestampNanos());
    assertThat(LineProtocol.isTrail(lines.get(1))).isTrue();
    assertThat(LineProtocol.isTrail(lines.get(0))).isFalse();
  }

  @Test
  void theSameEventAlwaysGivesTheSameLine() {
    StampedEvent event = SampleEvents.stamped("5", 1).get(0);
    assertThat(LineProtocol.encode(event)).isEqualTo(LineProtocol.encode(event));
  }

  @Test
  void escapesTagSeparatorsAndStringQuotes() {
    assertThat(LineProtocol.escapeTag("a b,c=d\\e")).isEqualTo("a\\ b\\,c\\=d\\e");
    assertThat(LineProtocol.escapeMeasurement("x,y z")).isEqualTo("x\\,y\\ z");
  }
}
