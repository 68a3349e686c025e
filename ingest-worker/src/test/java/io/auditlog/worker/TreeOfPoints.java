package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.store.read.StoredEvents;
import io.auditlog.verify.Jcs;
import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.TreeHash;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A tenant's tree checked against its stored points: every point read back from InfluxDB as the read API shows it
 * gives the leaf its seq holds in the tree's tiles, the seqs are 0 to size − 1 without a gap or a repeat, and the
 * root of those leaves is the tree row's root.
 */
final class TreeOfPoints {

  private final long size;

  private TreeOfPoints(long size) {
    this.size = size;
  }

  static TreeOfPoints read(BackingServices services, String jdbcUrl, String tenant) throws Exception {
    Map<Long, byte[]> leafBySeq = new TreeMap<>();
    JsonNode series = services.influx().query(InfluxNames.database(tenant), "SELECT * FROM /^[^ ]*$/")
        .path("results").path(0).path("series");
    for (JsonNode one : series) {
      for (JsonNode values : one.path("values")) {
        Map<String, JsonNode> row = StoredEvents.row(one.path("columns"), values);
        String document = Json.toText(StoredEvents.toEvent(one.path("name").asText(), row));
        byte[] entry = LeafEntry.event(UUID.fromString(row.get("id").asText()), row.get("time").asLong(),
            Base64.getDecoder().decode(row.get("salt").asText()), Jcs.canonicalBytes(
                io.auditlog.verify.Json.parse(document))).bytes();
        assertThat(leafBySeq.put(row.get("seq").asLong(), TreeHash.leaf(entry))).as("seq repeated").isNull();
      }
    }
    try (Connection connection = DriverManager.getConnection(jdbcUrl, "auditlog", services.postgres().password())) {
      long size;
      byte[] root;
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT size, root FROM tlog_trees WHERE tenant = ?")) {
        select.setLong(1, Long.parseLong(tenant));
        try (ResultSet rows = select.executeQuery()) {
          assertThat(rows.next()).as("tree row").isTrue();
          size = rows.getLong(1);
          root = rows.getBytes(2);
        }
      }
      assertThat(leafBySeq.keySet()).as("seqs").hasSize((int) size).allMatch(seq -> seq >= 0 && seq < size);
      for (long tile = 0; tile * 256 < size; tile++) {
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT hashes FROM tlog_tiles WHERE tenant = ? AND level = 0 AND index = ?")) {
          select.setLong(1, Long.parseLong(tenant));
          select.setLong(2, tile);
          try (ResultSet rows = select.executeQuery()) {
            assertThat(rows.next()).isTrue();
            byte[] hashes = rows.getBytes(1);
            for (int i = 0; i < hashes.length / 32; i++) {
              assertThat(Arrays.copyOfRange(hashes, i * 32, i * 32 + 32)).as("leaf " + (tile * 256 + i))
                  .isEqualTo(leafBySeq.get(tile * 256 + i));
            }
          }
        }
      }
      byte[][] leaves = leafBySeq.values().toArray(byte[][]::new);
      assertThat(Proofs.root(size, (level, index) -> subtree(leaves, level, index))).isEqualTo(root);
      return new TreeOfPoints(size);
    }
  }

  long verifiedSize() {
    return size;
  }

  private static byte[] subtree(byte[][] leaves, int level, long index) {
    return level == 0 ? leaves[(int) index]
        : TreeHash.node(subtree(leaves, level - 1, 2 * index), subtree(leaves, level - 1, 2 * index + 1));
  }
}
