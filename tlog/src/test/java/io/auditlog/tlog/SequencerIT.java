package io.auditlog.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.model.NanoTimestamps;
import io.auditlog.tlog.sign.TestPostgres;
import io.auditlog.verify.CompactRange;
import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.TreeHash;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sequencer against a real PostgreSQL: positions, tiles, replays, republished events, concurrent members. */
class SequencerIT {

  private static final Random RANDOM = new Random();
  private static final AtomicLong TENANTS = new AtomicLong(1000);
  private static TestPostgres postgres;
  private static PgLogin login;
  private final Sequencer sequencer = new Sequencer("Audit.Example.com");

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start();
    login = postgres.login();
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @Test
  void leavesFollowTopicPartitionOffsetAndStageAndTheTilesGiveTheRoot() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    List<SequencedRecord> batch = List.of(record("b", 0, 5, false, 2), record("a", 1, 9, false, 1),
        record("a", 0, 7, false, 3));
    Placements placed = place(tenant, batch);
    assertThat(placed.of(batch.get(2))).extracting(Placement::seq).containsExactly(0L, 1L, 2L);
    assertThat(placed.of(batch.get(1))).extracting(Placement::seq).containsExactly(3L);
    assertThat(placed.of(batch.get(0))).extracting(Placement::seq).containsExactly(4L, 5L);
    assertThat(tree(tenant).origin()).isEqualTo("audit.example.com/audit/" + tenant);
    assertTreeMatchesItsTiles(tenant, 6);
  }

  @Test
  void manyBatchesFillTilesAcrossTheirEdgesAndTheLevelAbove() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    long offset = 0;
    int total = 0;
    for (int size : new int[] {1, 254, 3, 300, 1, 255, 256, 70}) {
      List<SequencedRecord> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        batch.add(record("events", 0, offset++, false, 1));
      }
      place(tenant, batch);
      total += size;
    }
    assertThat(tree(tenant).size()).isEqualTo(total);
    assertTreeMatchesItsTiles(tenant, total);
    assertThat(tileWidth(tenant, 1, 0)).isEqualTo(total / 256);
  }

  @Test
  void aReplayedRecordGetsItsFirstPlacesAgainAndAppendsNothing() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    List<SequencedRecord> first = List.of(record("events", 0, 10, false, 1), record("ingress", 3, 4, false, 3),
        record("events", 0, 11, false, 1));
    Placements original = place(tenant, first);
    List<SequencedRecord> again = new ArrayList<>();
    for (SequencedRecord record : first) {
      again.add(new SequencedRecord(record.topic(), record.partition(), record.offset(), false, record.events()));
    }
    SequencedRecord next = record("events", 0, 12, false, 1);
    again.add(next);
    Placements replayed = place(tenant, again);
    for (int i = 0; i < first.size(); i++) {
      assertThat(replayed.of(again.get(i))).isEqualTo(original.of(first.get(i)));
    }
    assertThat(replayed.of(next)).extracting(Placement::seq).containsExactly(5L);
    assertThat(tree(tenant).size()).isEqualTo(6);
    assertTreeMatchesItsTiles(tenant, 6);
  }

  @Test
  void aReplayOfManyRecordsInShuffledOrderGetsEachRecordsPlacesFromItsBatchRow() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    List<SequencedRecord> first = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // Gaps in the offsets (other tenants' records) and one to three events a record.
      first.add(record("events", i % 2, 1000L + 3 * i, false, 1 + i % 3));
    }
    List<SequencedRecord> shuffled = new ArrayList<>(first);
    Collections.shuffle(shuffled, new Random(7));
    Placements original = place(tenant, shuffled);
    List<SequencedRecord> again = new ArrayList<>();
    for (SequencedRecord record : first) {
      again.add(new SequencedRecord(record.topic(), record.partition(), record.offset(), false, record.events()));
    }
    Placements replayed = place(tenant, again);
    for (int i = 0; i < first.size(); i++) {
      assertThat(replayed.of(again.get(i))).as("record %d", i).isEqualTo(original.of(first.get(i)));
    }
    assertThat(original.of(first.get(0))).extracting(Placement::seq).as("partition 0 first").containsExactly(0L);
    assertThat(tree(tenant).size()).isEqualTo(600);
    assertTreeMatchesItsTiles(tenant, 600);
  }

  @Test
  void aReplayedRecordThatIsNotTheOnePlacedFailsItsTransactionAndWritesNothing() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    SequencedRecord placed = stamped("ingress", 0, 5, 1_000_000_500_000L, 2);
    place(tenant, List.of(placed));
    SequencedRecord restamped = stamped("ingress", 0, 5, 1_000_000_500_007L, 2);
    SequencedRecord next = stamped("ingress", 0, 6, 1_000_000_500_009L, 1);
    assertThatThrownBy(() -> place(tenant, List.of(restamped, next)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ingress/0@5 read again is not the one placed at seq 0 of tenant " + tenant);
    assertThat(tree(tenant).size()).as("the next record was not appended either").isEqualTo(2);
    SequencedEvent second = placed.events().get(1);
    byte[] otherSalt = new byte[16];
    RANDOM.nextBytes(otherSalt);
    SequencedRecord sameEventsOtherSalt = new SequencedRecord("ingress", 0, 5, false, List.of(
        placed.events().get(0), SequencedEvent.of(second.id(), second.timestampNanos(), otherSalt,
            ("{\"id\":\"" + second.id() + "\"}").getBytes(StandardCharsets.UTF_8))));
    assertThatThrownBy(() -> place(tenant, List.of(sameEventsOtherSalt)))
        .hasMessageContaining("not the one placed at seq 1");
    assertThat(place(tenant, List.of(placed, next)).of(next)).extracting(Placement::seq).containsExactly(2L);
  }

  @Test
  void placedRecordsTellEachRecordsTenantFirstStampAndLeavesWhateverItsTree() throws Exception {
    long first = TENANTS.incrementAndGet();
    long second = TENANTS.incrementAndGet();
    String topic = "ingress-" + first;
    long stamp = 1_700_000_000_000_000_000L + 500_000;
    place(first, List.of(stamped(topic, 3, 10, stamp, 2), stamped(topic, 3, 11, stamp + 2, 3),
        stamped(topic, 4, 11, stamp + 1_000, 1)));
    place(second, List.of(stamped(topic, 3, 12, stamp + 5, 4)));
    place(second, List.of(new SequencedRecord(topic, 3, 14, true, List.of(event(stamp + 100)))));
    try (Connection connection = login.connect(); PreparedStatement older = connection.prepareStatement(
        "INSERT INTO tlog_batches (tenant, topic, partition, first_offset, last_offset, first_seq, offsets, "
            + "leaf_counts) VALUES (?, ?, 3, 20, 20, 0, '{20}', '{1}')")) {
      older.setLong(1, second);
      older.setString(2, topic);
      older.executeUpdate();
      assertThat(PlacedRecords.inRows(connection, topic, 3, 0, 100, 11)).as("a row written before stamps: not found")
          .containsOnly(
              java.util.Map.entry(11L, new PlacedRecords.Placed(first, stamp + 2, 3)),
              java.util.Map.entry(12L, new PlacedRecords.Placed(second, stamp + 5, 4)),
              java.util.Map.entry(14L, new PlacedRecords.Placed(second, stamp + 100, 1)));
      assertThat(PlacedRecords.inRows(connection, topic, 3, 11, 100, 11)).as("rows that start from 11")
          .containsOnlyKeys(12L, 14L);
      assertThat(PlacedRecords.inRows(connection, topic, 3, 0, 11, 0)).as("a row's records beyond the range too")
          .containsOnlyKeys(10L, 11L);
      assertThat(PlacedRecords.inRows(connection, topic, 5, 0, 100, 0)).isEmpty();
      assertThat(PlacedRecords.lastRowStart(connection, topic, 3)).hasValue(20);
      assertThat(PlacedRecords.lastRowStart(connection, topic, 4)).hasValue(11);
      assertThat(PlacedRecords.lastRowStart(connection, topic, 5)).isEmpty();
    }
  }

  @Test
  void aRecordGivenTwiceIsRefusedAndNothingIsPlaced() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    SequencedRecord once = record("events", 0, 1, false, 2);
    place(tenant, List.of(record("events", 0, 0, false, 1)));
    assertThatThrownBy(() -> place(tenant, List.of(once, record("events", 0, 2, false, 1), once)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("events/0@1 is given twice");
    assertThat(tree(tenant).size()).isEqualTo(1);
  }

  @Test
  void tilesAndBundlesAreStoredOutOfLineWithoutCompression() throws Exception {
    try (Connection connection = login.connect(); PreparedStatement storage = connection.prepareStatement(
        "SELECT attrelid::regclass::text, attstorage FROM pg_attribute WHERE (attrelid, attname) IN "
            + "(('tlog_tiles'::regclass, 'hashes'), ('tlog_bundles'::regclass, 'entries'))");
        ResultSet rows = storage.executeQuery()) {
      Set<String> columns = new HashSet<>();
      while (rows.next()) {
        columns.add(rows.getString(1) + " " + rows.getString(2));
      }
      assertThat(columns).containsExactlyInAnyOrder("tlog_tiles e", "tlog_bundles e");
    }
  }

  @Test
  void aReplayTheTreeHasNoRowForIsCountedAndNotWritten() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    place(tenant, List.of(record("events", 0, 50, false, 1)));
    SequencedRecord unknown = record("events", 0, 49, false, 1);
    Placements placed = place(tenant, List.of(unknown));
    assertThat(placed.of(unknown)).isNull();
    assertThat(placed.skipped()).isEqualTo(1);
    assertThat(tree(tenant).size()).isEqualTo(1);
  }

  @Test
  void anEventRepublishedUnderItsIdempotencyKeyKeepsItsLeaf() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    SequencedRecord first = record("events", 0, 1, true, 1);
    place(tenant, List.of(first, record("events", 0, 2, false, 1)));
    SequencedRecord republished = new SequencedRecord("events", 0, 3, true, first.events());
    SequencedRecord fresh = record("events", 0, 4, true, 1);
    Placements placed = place(tenant, List.of(republished, fresh));
    assertThat(placed.of(republished)).extracting(Placement::seq).containsExactly(0L);
    assertThat(placed.of(fresh)).extracting(Placement::seq).containsExactly(2L);
    assertThat(tree(tenant).size()).isEqualTo(3);
    Placements replayOfRepublished = place(tenant, List.of(republished));
    assertThat(replayOfRepublished.of(republished)).extracting(Placement::seq).containsExactly(0L);

    SequencedRecord once = record("events", 1, 1, true, 2);
    SequencedRecord twice = new SequencedRecord("events", 1, 2, true, once.events());
    Placements sameBatch = place(tenant, List.of(twice, once));
    assertThat(sameBatch.of(twice)).isEqualTo(sameBatch.of(once)).extracting(Placement::seq)
        .containsExactly(3L, 4L);
    assertThat(tree(tenant).size()).isEqualTo(5);
  }

  @Test
  void everyPlacementCarriesItsEventsSaltOnEveryReplay() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    SequencedRecord record = record("ingress", 0, 1, false, 3);
    Placements placed = place(tenant, List.of(record));
    assertThat(placed.of(record)).extracting(Placement::salt)
        .containsExactlyElementsOf(record.events().stream().map(SequencedEvent::salt).toList());
    assertThat(place(tenant, List.of(record)).of(record)).isEqualTo(placed.of(record));
  }

  @Test
  void membersPlacingOneTenantAtOnceNeverGiveTwoEventsOneSeq() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    ExecutorService members = Executors.newFixedThreadPool(4);
    try {
      List<Future<Placements>> results = new ArrayList<>();
      List<List<SequencedRecord>> batches = new ArrayList<>();
      for (int member = 0; member < 4; member++) {
        for (int b = 0; b < 10; b++) {
          List<SequencedRecord> batch = new ArrayList<>();
          for (int r = 0; r < 5; r++) {
            batch.add(record("events", member, b * 5L + r, false, 1 + r % 2));
          }
          batches.add(batch);
        }
      }
      for (int member = 0; member < 4; member++) {
        List<List<SequencedRecord>> own = batches.subList(member * 10, member * 10 + 10);
        results.add(members.submit(() -> {
          Placements last = null;
          for (List<SequencedRecord> batch : own) {
            last = place(tenant, batch);
          }
          return last;
        }));
      }
      for (Future<Placements> result : results) {
        result.get();
      }
    } finally {
      members.shutdown();
    }
    Set<Long> seqs = new HashSet<>();
    try (Connection connection = login.connect(); PreparedStatement select = connection.prepareStatement(
        "SELECT first_seq, leaf_counts FROM tlog_batches WHERE tenant = ?")) {
      select.setLong(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          long seq = rows.getLong(1);
          for (Integer count : (Integer[]) rows.getArray(2).getArray()) {
            for (int i = 0; i < count; i++) {
              assertThat(seqs.add(seq++)).isTrue();
            }
          }
        }
      }
    }
    long events = 4 * 10 * (1 + 2 + 1 + 2 + 1);
    assertThat(seqs).hasSize((int) events).allMatch(seq -> seq < events);
    assertTreeMatchesItsTiles(tenant, events);
  }

  @Test
  void aTileOutOfStepWithTheTreeRowFailsTheTransactionAndChangesNothing() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    place(tenant, List.of(record("events", 0, 1, false, 3)));
    try (Connection connection = login.connect(); PreparedStatement cut = connection.prepareStatement(
        "UPDATE tlog_tiles SET hashes = substring(hashes from 1 for 32) WHERE tenant = ? AND level = 0")) {
      cut.setLong(1, tenant);
      cut.executeUpdate();
    }
    assertThatThrownBy(() -> place(tenant, List.of(record("events", 0, 2, false, 1))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not end where the tree row says");
    assertThat(tree(tenant).size()).isEqualTo(3);
  }

  @Test
  void erasedEventsGetARecordInTheTreeAndNoReplayOrRetryWritesThemAgain() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    SequencedRecord plain = record("events", 0, 1, false, 3);
    SequencedRecord keyed = record("events", 0, 2, true, 1);
    Placements first = place(tenant, List.of(plain, keyed));
    List<Erasures.Appended> records;
    try (Connection connection = login.connect()) {
      records = Erasures.append(connection, tenant, java.util.Map.of("reason", "delete"), List.of(
          new Erasures.Erased(keyed.events().get(0).id(), first.of(keyed).get(0).seq()),
          new Erasures.Erased(plain.events().get(1).id(), first.of(plain).get(1).seq())));
    }
    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.seq()).isEqualTo(4);
      assertThat(r.record()).contains("\"erased\":[{\"id\":\"" + plain.events().get(1).id() + "\",\"seq\":1},"
          + "{\"id\":\"" + keyed.events().get(0).id() + "\",\"seq\":3}]", "\"kind\":\"erasure\"",
          "\"part\":1,\"parts\":1", "\"reason\":\"delete\"");
    });
    assertTreeMatchesItsTiles(tenant, 5);
    byte[] entry = Arrays.copyOfRange(bundle(tenant, 0), 4 * LeafEntry.SIZE, 5 * LeafEntry.SIZE);
    assertThat(LeafEntry.parse(entry).kind()).isEqualTo(LeafEntry.Kind.ERASURE);

    SequencedRecord retry = new SequencedRecord("events", 0, 3, true, keyed.events());
    Placements replay = place(tenant, List.of(plain, retry));
    assertThat(replay.of(plain)).extracting(p -> p == null ? null : p.seq()).containsExactly(0L, null, 2L);
    assertThat(replay.of(retry)).containsExactly((Placement) null);
    try (Connection connection = login.connect()) {
      assertThat(Erasures.append(connection, tenant, java.util.Map.of("reason", "delete"), List.of(
          new Erasures.Erased(keyed.events().get(0).id(), 3)))).isEmpty();
    }
    assertThat(tree(tenant).size()).isEqualTo(5);
  }

  @Test
  void aRetentionRecordSetsTheCutoffAndEventsBeforeItAreNeitherPlacedNorWrittenAgain() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    long hour = 3_600_000_000_000L;
    long now = System.currentTimeMillis() * 1_000_000L;
    SequencedRecord old = recordAt(1, now - 3 * hour);
    SequencedRecord recent = recordAt(2, now);
    Placements first = place(tenant, List.of(old, recent));
    assertThat(first.of(old).get(0).seq()).isZero();
    long before = now - 2 * hour;

    try (Connection connection = login.connect()) {
      assertThat(Erasures.appendRetention(connection, tenant, before)).hasValue(2);
      assertThat(Erasures.appendRetention(connection, tenant, before)).as("the same cutoff again").hasValue(2);
      assertThat(Erasures.appendRetention(connection, tenant, before - hour)).as("an earlier one").hasValue(2);
      assertThat(Erasures.appendRetention(connection, TENANTS.incrementAndGet(), before)).as("no tree").isEmpty();
    }
    assertThat(tree(tenant).size()).isEqualTo(3);
    String record;
    try (Connection connection = login.connect(); PreparedStatement select = connection.prepareStatement(
        "SELECT record FROM tlog_erasures WHERE tenant = ? AND seq = 2")) {
      select.setLong(1, tenant);
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        record = row.getString(1);
      }
    }
    assertThat(record).contains("\"reason\":\"retention\"", "\"actor\":{\"system\":\"retention\"}",
        "\"before\":\"" + NanoTimestamps.format(before) + "\"", "\"kind\":\"erasure\"", "\"parts\":1")
        .doesNotContain("\"erased\"", "\"filter\"");

    Placements replay = place(tenant, List.of(old, recent));
    assertThat(replay.of(old)).as("past retention: not written again").containsExactly((Placement) null);
    assertThat(replay.of(recent)).extracting(Placement::seq).containsExactly(1L);
    assertThat(replay.isPastRetention(old)).as("it was placed before the cutoff").isFalse();

    SequencedRecord late = recordAt(3, now - 3 * hour);
    Placements third = place(tenant, List.of(late, recordAt(4, now)));
    assertThat(third.isPastRetention(late)).isTrue();
    assertThat(third.of(late)).isNull();
    assertThat(tree(tenant).size()).as("the late event got no leaf").isEqualTo(4);

    try (Connection connection = login.connect()) {
      assertThat(Erasures.appendRetention(connection, tenant, before + hour)).as("a later cutoff").hasValue(4);
    }
    assertTreeMatchesItsTiles(tenant, 5);
  }

  @Test
  void aCutoffLaterThanAnyRetentionAllowsIsNotFollowedAndTheEventsArePlaced() throws Exception {
    long tenant = TENANTS.incrementAndGet();
    long hour = 3_600_000_000_000L;
    long now = System.currentTimeMillis() * 1_000_000L;
    place(tenant, List.of(recordAt(1, now)));
    try (Connection connection = login.connect(); PreparedStatement forge = connection.prepareStatement(
        "UPDATE tlog_trees SET retained_before = ?, retention_seq = 0 WHERE tenant = ?")) {
      forge.setLong(1, now + hour);
      forge.setLong(2, tenant);
      forge.executeUpdate();
    }
    SequencedRecord recent = recordAt(2, now - 10 * 60_000_000_000L);
    SequencedRecord old = recordAt(3, now - 2 * hour);

    Placements placed = place(tenant, List.of(recent, old));

    assertThat(placed.isPastRetention(recent)).as("within the shortest retention there is").isFalse();
    assertThat(placed.of(recent)).extracting(Placement::seq).containsExactly(1L);
    assertThat(placed.isPastRetention(old)).as("past it, as the row says").isTrue();
    assertThat(tree(tenant).size()).isEqualTo(2);
  }

  // --- helpers ---

  private Placements place(long tenant, List<SequencedRecord> records) throws SQLException {
    try (Connection connection = login.connect()) {
      return sequencer.sequence(connection, tenant, records);
    }
  }

  private static SequencedRecord record(String topic, int partition, long offset, boolean idempotent, int events) {
    List<SequencedEvent> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      list.add(event(System.nanoTime()));
    }
    return new SequencedRecord(topic, partition, offset, idempotent, list);
  }

  /** A record of {@code events} events stamped consecutively from {@code firstStamp}, as an ingress record is. */
  private static SequencedRecord stamped(String topic, int partition, long offset, long firstStamp, int events) {
    List<SequencedEvent> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      list.add(event(firstStamp + i));
    }
    return new SequencedRecord(topic, partition, offset, false, list);
  }

  private static SequencedRecord recordAt(long offset, long timestampNanos) {
    return new SequencedRecord("events", 0, offset, false, List.of(event(timestampNanos)));
  }

  private static SequencedEvent event(long timestampNanos) {
    UUID id = UUID.randomUUID();
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return SequencedEvent.of(id.toString(), timestampNanos, salt,
        ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private record Tree(String origin, long size, byte[] root, byte[] range) {
  }

  private static Tree tree(long tenant) throws SQLException {
    try (Connection connection = login.connect(); PreparedStatement select = connection.prepareStatement(
        "SELECT origin, size, root, compact_range FROM tlog_trees WHERE tenant = ?")) {
      select.setLong(1, tenant);
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        return new Tree(row.getString(1), row.getLong(2), row.getBytes(3), row.getBytes(4));
      }
    }
  }

  private static int tileWidth(long tenant, int level, long index) throws SQLException {
    return tile(tenant, level, index).length / 32;
  }

  private static byte[] tile(long tenant, int level, long index) throws SQLException {
    try (Connection connection = login.connect(); PreparedStatement select = connection.prepareStatement(
        "SELECT hashes FROM tlog_tiles WHERE tenant = ? AND level = ? AND index = ?")) {
      select.setLong(1, tenant);
      select.setInt(2, level);
      select.setLong(3, index);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getBytes(1) : new byte[0];
      }
    }
  }

  /**
   * The leaf hashes in the level-0 tiles are those of the stored entries, their root (computed here, independently
   * of the sequencer's compact range) is the tree row's root, each level-1 hash is the root of its 256 leaves.
   */
  private static void assertTreeMatchesItsTiles(long tenant, long size) throws SQLException {
    List<byte[]> leaves = new ArrayList<>();
    for (long index = 0; index * 256 < size; index++) {
      byte[] tile = tile(tenant, 0, index);
      byte[] bundle = bundle(tenant, index);
      assertThat(bundle.length / LeafEntry.SIZE).isEqualTo(tile.length / 32);
      for (int i = 0; i < tile.length / 32; i++) {
        byte[] leaf = Arrays.copyOfRange(tile, i * 32, i * 32 + 32);
        byte[] entry = Arrays.copyOfRange(bundle, i * LeafEntry.SIZE, (i + 1) * LeafEntry.SIZE);
        assertThat(leaf).isEqualTo(TreeHash.leaf(entry));
        leaves.add(leaf);
      }
    }
    assertThat(leaves).hasSize((int) size);
    Tree tree = tree(tenant);
    assertThat(tree.size()).isEqualTo(size);
    assertThat(tree.root()).isEqualTo(Proofs.root(size, (level, index) -> subtree(leaves, level, index)));
    assertThat(CompactRange.root(split(tree.range()))).isEqualTo(tree.root());
    byte[] upper = tile(tenant, 1, 0);
    for (int i = 0; i < upper.length / 32; i++) {
      assertThat(Arrays.copyOfRange(upper, i * 32, i * 32 + 32)).isEqualTo(subtree(leaves, 8, i));
    }
  }

  private static byte[] bundle(long tenant, long index) throws SQLException {
    try (Connection connection = login.connect(); PreparedStatement select = connection.prepareStatement(
        "SELECT entries FROM tlog_bundles WHERE tenant = ? AND index = ?")) {
      select.setLong(1, tenant);
      select.setLong(2, index);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getBytes(1) : new byte[0];
      }
    }
  }

  private static byte[] subtree(List<byte[]> leaves, int level, long index) {
    if (level == 0) {
      return leaves.get((int) index);
    }
    return TreeHash.node(subtree(leaves, level - 1, 2 * index), subtree(leaves, level - 1, 2 * index + 1));
  }

  private static List<byte[]> split(byte[] hashes) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < hashes.length; i += 32) {
      list.add(Arrays.copyOfRange(hashes, i, i + 32));
    }
    return list;
  }
}
