package io.auditlog.verify;

import static io.auditlog.verify.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hash vectors of spec §10, byte for byte. */
class TreeVectorsTest {

  private static final List<String> CLASSIC_ENTRIES = List.of("", "00", "10", "2021", "3031", "40414243",
      "5051525354555657", "606162636465666768696a6b6c6d6e6f");
  private static final List<String> CLASSIC_ROOTS = List.of(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  @Test
  void hashesMatchTheVectors() {
    assertThat(hex(TreeHash.empty())).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(hex(TreeHash.leaf(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    assertThat(hex(TreeHash.leaf(ascii("L123456"))))
        .isEqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    assertThat(hex(TreeHash.node(ascii("N123"), ascii("N456"))))
        .isEqualTo("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
  }

  @Test
  void rootsOfTheClassicEntriesMatchForSizesOneToEight() {
    MemoryTree tree = new MemoryTree();
    List<byte[]> leaves = new ArrayList<>();
    assertThat(tree.root()).isEqualTo(TreeHash.empty());
    assertThat(Proofs.root(0, tree)).isEqualTo(TreeHash.empty());
    for (int size = 1; size <= CLASSIC_ENTRIES.size(); size++) {
      byte[] leaf = TreeHash.leaf(hex(CLASSIC_ENTRIES.get(size - 1)));
      leaves.add(leaf);
      tree.append(leaf);
      String want = CLASSIC_ROOTS.get(size - 1);
      assertThat(hex(tree.root())).as("appended root at size %d", size).isEqualTo(want);
      assertThat(hex(Proofs.root(size, tree))).as("root from subtrees at size %d", size).isEqualTo(want);
      assertThat(hex(new ReferenceTree(leaves).root())).as("reference root at size %d", size).isEqualTo(want);
    }
  }

  @Test
  void earlierRootsStayReadableFromTheSubtrees() {
    MemoryTree tree = new MemoryTree();
    CLASSIC_ENTRIES.forEach(entry -> tree.append(TreeHash.leaf(hex(entry))));
    for (int size = 1; size <= CLASSIC_ENTRIES.size(); size++) {
      assertThat(hex(Proofs.root(size, tree))).isEqualTo(CLASSIC_ROOTS.get(size - 1));
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
