package io.auditlog.tlog.sign;

import io.auditlog.tlog.PgLogin;
import io.auditlog.verify.CompactRange;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.Subtrees;
import io.auditlog.verify.Tiles;
import io.auditlog.verify.TreeHash;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's tree of n leaves, written the way the sequencer leaves it: the tree row (origin, size, root, compact
 * range) and the C2SP tiles of every level, in one transaction. Leaf i of tenant t is always the same, so writing a
 * larger n grows the same tree; another variant is another history of the tenant (a fork).
 */
public final class TestTree implements Subtrees {

  private final List<List<byte[]>> levels = new ArrayList<>();
  private final long tenant;
  private final int size;

  public TestTree(long tenant, int size) {
    this(tenant, size, 0);
  }

  public TestTree(long tenant, int size, int variant) {
    this(tenant, leaves(tenant, size, variant));
  }

  /** The tree of these leaf hashes. */
  public TestTree(long tenant, List<byte[]> leaves) {
    this.tenant = tenant;
    this.size = leaves.size();
    levels.add(leaves);
    for (List<byte[]> below = leaves; below.size() > 1; ) {
      List<byte[]> above = new ArrayList<>();
      for (int i = 0; i + 1 < below.size(); i += 2) {
        above.add(TreeHash.node(below.get(i), below.get(i + 1)));
      }
      levels.add(above);
      below = above;
    }
  }

  private static List<byte[]> leaves(long tenant, int size, int variant) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      leaves.add(TreeHash.leaf(ByteBuffer.allocate(20).putLong(tenant).putLong(i).putInt(variant).array()));
    }
    return leaves;
  }

  public static String origin(long tenant) {
    return "audit.example.com/audit/" + tenant;
  }

  @Override
  public byte[] hash(int level, long index) {
    return levels.get(level).get((int) index);
  }

  public byte[] root() {
    return Proofs.root(size, this);
  }

  /** Creates or replaces the tree row and its tiles. */
  public void write(PgLogin login) throws SQLException {
    try (Connection connection = login.connect()) {
      connection.setAutoCommit(false);
      ByteArrayOutputStream range = new ByteArrayOutputStream();
      CompactRange.of(0, size, this).forEach(range::writeBytes);
      try (PreparedStatement row = connection.prepareStatement("INSERT INTO tlog_trees (tenant, origin, size, root, "
          + "compact_range) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET size = EXCLUDED.size, "
          + "root = EXCLUDED.root, compact_range = EXCLUDED.compact_range, updated_at = now()")) {
        row.setLong(1, tenant);
        row.setString(2, origin(tenant));
        row.setLong(3, size);
        row.setBytes(4, root());
        row.setBytes(5, range.toByteArray());
        row.executeUpdate();
      }
      try (PreparedStatement tile = connection.prepareStatement("INSERT INTO tlog_tiles (tenant, level, index, hashes) "
          + "VALUES (?, ?, ?, ?) ON CONFLICT (tenant, level, index) DO UPDATE SET hashes = EXCLUDED.hashes")) {
        for (int level = 0; level < levels.size() && !levels.get(level).isEmpty(); level += 8) {
          List<byte[]> hashes = levels.get(level);
          for (int index = 0; index * io.auditlog.verify.Tiles.WIDTH < hashes.size(); index++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            hashes.subList(index * Tiles.WIDTH, Math.min(hashes.size(), (index + 1) * Tiles.WIDTH))
                .forEach(bytes::writeBytes);
            tile.setLong(1, tenant);
            tile.setInt(2, level / 8);
            tile.setLong(3, index);
            tile.setBytes(4, bytes.toByteArray());
            tile.addBatch();
          }
        }
        tile.executeBatch();
      }
      connection.commit();
    }
  }
}
