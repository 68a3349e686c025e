package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExportFormatTest {

  @ParameterizedTest
  @CsvSource(delimiterString = "|", quoteCharacter = '`', value = {
      "plain|plain",
      "=1+1|'=1+1",
      "+SUM(1)|'+SUM(1)",
      "-cmd|'-cmd",
      "@SUM(A1)|'@SUM(A1)",
      "`\tTAB`|`'\tTAB`",
      "`\rCR`|`\"'\rCR\"`",
      "a,b|`\"a,b\"`",
      "say \"hi\"|`\"say \"\"hi\"\"\"`",
      "`=HYPERLINK(\"x\",\"y\")`|`\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"`",
      "`line\nbreak`|`\"line\nbreak\"`",
      "in=side|in=side",
      "` =1+1`|`' =1+1`",
      "`　 @SUM(A1)`|`'　 @SUM(A1)`"})
  void textCellsAreDefusedAndQuoted(String value, String cell) {
    assertThat(ExportFormat.cell(Json.MAPPER.getNodeFactory().textNode(value))).isEqualTo(cell);
  }

  @Test
  void numbersStayNumbersAndMissingValuesAreEmpty() {
    assertThat(ExportFormat.cell(Json.MAPPER.getNodeFactory().numberNode(-0.5))).isEqualTo("-0.5");
    assertThat(ExportFormat.cell(Json.MAPPER.missingNode())).isEmpty();
  }

  @Test
  void aCsvLineHoldsEveryColumnInOrderAndMetadataAsJson() throws Exception {
    ObjectNode event = (ObjectNode) Json.MAPPER.readTree("{\"timestamp\":\"2026-11-30T10:00:00.000000001Z\","
        + "\"id\":\"i\",\"event_id\":\"e\",\"category\":\"web\",\"source_information\":{\"application\":\"shop\","
        + "\"environment\":\"prod\"},\"method\":\"GET\",\"status\":\"=1\",\"level\":\"info\",\"event\":{\"name\":"
        + "\"n\",\"type\":\"t\",\"latency\":0.5,\"stage\":1},\"actor\":{\"origin\":\"10.0.0.1\"},"
        + "\"metadata\":[{\"name\":\"k\",\"value\":\"=v\"}]}");
    assertThat(ExportFormat.CSV.header()).startsWith("timestamp,id,event_id,category,application,environment,")
        .endsWith(",resource_name,metadata\r\n");
    assertThat(ExportFormat.CSV.line(event)).isEqualTo("2026-11-30T10:00:00.000000001Z,i,e,web,shop,prod,GET,'=1,"
        + "info,10.0.0.1,n,t,,1,,,0.5,,,,,,\"[{\"\"name\"\":\"\"k\"\",\"\"value\"\":\"\"=v\"\"}]\"\r\n");
    assertThat(ExportFormat.NDJSON.line(event)).isEqualTo(event.toString() + "\n");
  }

  @Test
  void theFormatIsNdjsonOrCsv() {
    assertThat(ExportFormat.of(null)).isEqualTo(ExportFormat.NDJSON);
    assertThat(ExportFormat.of("csv")).isEqualTo(ExportFormat.CSV);
    assertThatThrownBy(() -> ExportFormat.of("xlsx")).isInstanceOf(ApiException.class);
  }
}
