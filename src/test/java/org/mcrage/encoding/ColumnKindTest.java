package org.mcrage.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcrage.config.JobConfig;
import org.mcrage.config.McrageException;
import org.mcrage.config.Settings;

class ColumnKindTest {

  @Test
  void parsesKindsAndBoundsWithCommasInsideBrackets() {
    Map<String, ColumnKind.Declared> kinds =
        ColumnKind.parse("smoking:categorical, age:integer[0,120],creatinine:bounded[0,]");

    assertThat(kinds).containsOnlyKeys("smoking", "age", "creatinine");
    assertThat(kinds.get("smoking").kind()).isEqualTo(ColumnKind.CATEGORICAL);
    assertThat(kinds.get("age")).isEqualTo(new ColumnKind.Declared(ColumnKind.INTEGER, 0, 120));
    assertThat(kinds.get("creatinine").lower()).isZero();
    assertThat(kinds.get("creatinine").upper()).isInfinite();
  }

  @Test
  void malformedDeclarationsAreUserErrorsNamingTheSetting() {
    assertThatThrownBy(() -> ColumnKind.parse("age:text"))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("column-kinds")
        .hasMessageContaining("age:text");
    assertThatThrownBy(() -> ColumnKind.parse("lab:bounded[5,1]"))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("invalid bounds");
    assertThatThrownBy(() -> JobConfig.of(Map.of(Settings.COLUMN_KINDS.key(), "smoking")))
        .isInstanceOf(McrageException.class)
        .hasMessageContaining("column-kinds");
  }
}
