package io.auditlog.query.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.model.ApiException;
import org.junit.jupiter.api.Test;

/** Tile paths as C2SP tlog-tiles writes them, only in their canonical spelling, and what a tree size covers. */
class TilePathTest {

  @Test
  void readsTilesAndBundlesFullAndPartial() {
    assertThat(TilePath.parse("0/000")).isEqualTo(new TilePath(false, 0, 0, 256));
    assertThat(TilePath.parse("2/x001/x234/067.p/5")).isEqualTo(new TilePath(false, 2, 1_234_067, 5));
    assertThat(TilePath.parse("entries/x001/000.p/255")).isEqualTo(new TilePath(true, 0, 1000, 255));
    assertThat(TilePath.parse("63/x018/x446/x744/x073/x709/x551/615"))
        .isEqualTo(new TilePath(false, 63, -1L, 256));
  }

  @Test
  void writesIndexesInGroupsOfThree() {
    assertThat(TilePath.indexPath(1_234_067)).isEqualTo("x001/x234/067");
    assertThat(TilePath.indexPath(5)).isEqualTo("005");
    assertThat(TilePath.indexPath(1000)).isEqualTo("x001/000");
    assertThat(TilePath.indexPath(-1L)).isEqualTo("x018/x446/x744/x073/x709/x551/615");
  }

  @Test
  void anyOtherSpellingIs422AtItsLocation() {
    assertInvalid("01/000", "L");
    assertInvalid("64/000", "L");
    assertInvalid("-1/000", "L");
    assertInvalid("0", "N");
    assertInvalid("0/5", "N");
    assertInvalid("0/x000/005", "N");
    assertInvalid("0/x018/x446/x744/x073/x709/x551/616", "N");
    assertInvalid("entries/005/", "N");
    assertInvalid("0/000.p/0", "W");
    assertInvalid("0/000.p/256", "W");
    assertInvalid("0/000.p/05", "W");
  }

  @Test
  void aTileIsCoveredWhenTheTreeHoldsEveryHashOfIt() {
    assertThat(TilePath.parse("0/000").coveredBy(256)).isTrue();
    assertThat(TilePath.parse("0/000").coveredBy(255)).isFalse();
    assertThat(TilePath.parse("0/000.p/255").coveredBy(255)).isTrue();
    assertThat(TilePath.parse("1/000.p/1").coveredBy(256)).isTrue();
    assertThat(TilePath.parse("1/000.p/2").coveredBy(511)).isFalse();
    assertThat(TilePath.parse("8/000.p/1").coveredBy(Long.MAX_VALUE)).isFalse();
    assertThat(TilePath.parse("0/x018/x446/x744/x073/x709/x551/615").coveredBy(Long.MAX_VALUE)).isFalse();
    assertThat(TilePath.parse("entries/001.p/4").coveredBy(260)).isTrue();
    assertThat(TilePath.parse("entries/001.p/5").coveredBy(260)).isFalse();
  }

  private static void assertInvalid(String path, String name) {
    assertThatThrownBy(() -> TilePath.parse(path)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(422);
      assertThat(e.fieldErrors().get(0).loc()).containsExactly("path", name);
    });
  }
}
