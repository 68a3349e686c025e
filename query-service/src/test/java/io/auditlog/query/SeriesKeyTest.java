package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.store.read.SeriesKey;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {

  @Test
  void readsMeasurementAndTagsWithTheirEscapes() {
    SeriesKey key = SeriesKey.parse("cat\\,x,app=a\\ b,event_name=k\\=v\\,w,status=back\\slash");
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("app", "a b");
    tags.put("event_name", "k=v,w");
    tags.put("status", "back\\slash");
    assertThat(key).isEqualTo(new SeriesKey("cat,x", tags));
  }
}
