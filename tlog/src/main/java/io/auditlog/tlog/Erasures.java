package io.auditlog.tlog;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.auditlog.model.NanoTimestamps;
import io.auditlog.verify.Jcs;
import io.auditlog.verify.LeafEntry;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Appends erasure records to a tenant's tree before events are deleted: each record (a leaf of kind 0x02, salted
 * like an event) lists up to {@value #MAX_PER_RECORD} erased events with their seqs, sorted by seq, and is kept in
 * {@code tlog_erasures} for good; the erased events are indexed in {@code tlog_erased}, so that no replay or retry
 * writes them again. One transaction, under the tree's lock. Retention records name no events but a time, and the
 * tree row keeps it.
 */
public final class Erasures {

  public static final int MAX_PER_RECORD = 10_000;
  /** The shortest retention there is: a retention record's time is at least this long before it is appended. */
  public static final Duration MIN_RETENTION = Duration.ofHours(1);
  private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An event to erase: its id and its leaf's seq. */
  public record Erased(String id, long seq) {
  }

  /** An appended erasure record: its leaf's seq and its document (canonical JSON). */
  public record Appended(long seq, String record) {
  }

  /**
   * Appends the records of one deletion: {@code common} holds the fields every part shares ({@code reason},
   * {@code actor}, {@code request_id}, {@code filter}, {@code view}; a null is left out); ids already erased are left
   * out. Returns the records appended, none when nothing was left to erase (or the tenant has no tree).
   */
  public static List<Appended> append(Connection connection, long tenant, Map<String, Object> common,
      List<Erased> erased) throws SQLException {
    return underTreeLock(connection, tenant, tree -> {
      Map<String, Erased> byId = new LinkedHashMap<>();
      erased.forEach(e -> byId.putIfAbsent(e.id(), e));
      Set<String> already = ErasedIds.among(connection, tenant, List.copyOf(byId.keySet()));
      List<Erased> fresh = new ArrayList<>(byId.values());
      fresh.removeIf(e -> already.contains(e.id()));
      fresh.sort(Comparator.comparingLong(Erased::seq));
      TreeAppends leaves = new TreeAppends(tree);
      List<Appended> appended = new ArrayList<>();
      String operation = UUID.randomUUID().toString();
      int parts = (fresh.size() + MAX_PER_RECORD - 1) / MAX_PER_RECORD;
      for (int part = 0; part < parts; part++) {
        List<Erased> chunk = fresh.subList(part * MAX_PER_RECORD, Math.min(fresh.size(), (part + 1) * MAX_PER_RECORD));
        Map<String, Object> document = new LinkedHashMap<>(common);
        document.put("operation", operation);
        document.put("part", part + 1);
        document.put("parts", parts);
        document.put("erased", chunk.stream().map(e -> Map.of("id", e.id(), "seq", e.seq())).toList());
        appended.add(appendRecord(connection, tenant, leaves, document, chunk));
      }
      leaves.storeLeaves(connection);
      return appended;
    }).orElse(List.of());
  }

  /**
   * Appends a retention record (reason {@code retention}, by the system): events stamped before {@code beforeNanos}
   * are past the tenant's retention, and the tree row says so from now on, so that the ingest worker neither places
   * nor writes such events again. Returns the seq of the retention record that covers {@code beforeNanos}: the new
   * one, or the last one when it already reaches as far; empty when the tenant has no tree.
   */
  public static OptionalLong appendRetention(Connection connection, long tenant, long beforeNanos)
      throws SQLException {
    Optional<Long> seq = underTreeLock(connection, tenant, tree -> {
      if (tree.retentionSeq() != null && tree.retainedBefore() >= beforeNanos) {
        return tree.retentionSeq();
      }
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("reason", "retention");
      document.put("actor", Map.of("system", "retention"));
      document.put("operation", UUID.randomUUID().toString());
      document.put("part", 1);
      document.put("parts", 1);
      document.put("before", NanoTimestamps.format(beforeNanos));
      TreeAppends leaves = new TreeAppends(tree);
      long appended = appendRecord(connection, tenant, leaves, document, List.of()).seq();
      leaves.storeLeaves(connection);
      tree.retain(connection, beforeNanos, appended);
      return appended;
    });
    return seq.map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  /** Work done under a tenant's tree row lock. */
  @FunctionalInterface
  private interface UnderLock<T> {
    T run(TreeRow tree) throws SQLException;
  }

  /** Runs {@code work} in one transaction holding the tree row's lock; empty, changing nothing, without a tree. */
  private static <T> Optional<T> underTreeLock(Connection connection, long tenant, UnderLock<T> work)
      throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      Optional<TreeRow> locked = TreeRow.lockExisting(connection, tenant);
      if (locked.isEmpty()) {
        connection.rollback();
        return Optional.empty();
      }
      T result = work.run(locked.get());
      connection.commit();
      return Optional.of(result);
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** Completes the document (its kind, id and timestamp; nulls left out), appends its leaf and stores the record. */
  private static Appended appendRecord(Connection connection, long tenant, TreeAppends leaves,
      Map<String, Object> fields, List<Erased> erased) throws SQLException {
    Map<String, Object> document = new LinkedHashMap<>();
    fields.forEach((key, value) -> {
      if (value != null) {
        document.put(key, value);
      }
    });
    UUID id = IDS.generate();
    long timestamp = NanoTimestamps.now();
    document.put("kind", "erasure");
    document.put("id", id.toString());
    document.put("timestamp", NanoTimestamps.format(timestamp));
    byte[] canonical = Jcs.canonicalBytes(document);
    byte[] salt = new byte[LeafEntry.SALT_SIZE];
    RANDOM.nextBytes(salt);
    long seq = leaves.append(LeafEntry.erasure(id, timestamp, salt, canonical));
    String record = Jcs.canonical(document);
    store(connection, tenant, seq, salt, record, erased);
    return new Appended(seq, record);
  }

  private static void store(Connection connection, long tenant, long seq, byte[] salt, String record,
      List<Erased> erased) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO tlog_erasures (tenant, seq, salt, record) VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, tenant);
      insert.setLong(2, seq);
      insert.setBytes(3, salt);
      insert.setString(4, record);
      insert.executeUpdate();
    }
    try (PreparedStatement index = connection.prepareStatement(
        "INSERT INTO tlog_erased (tenant, id, seq, erasure_seq) VALUES (?, ?, ?, ?)")) {
      for (Erased e : erased) {
        index.setLong(1, tenant);
        index.setObject(2, UUID.fromString(e.id()));
        index.setLong(3, e.seq());
        index.setLong(4, seq);
        index.addBatch();
      }
      index.executeBatch();
    }
  }
}
