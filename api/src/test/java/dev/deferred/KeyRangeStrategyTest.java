package dev.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deferred.KeyRangeStrategy.KeyRange;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class KeyRangeStrategyTest {

  /** The ids of a query, held in a sorted list. */
  private record Ids(List<? extends Comparable<?>> ids, Class<?> type)
      implements KeyRangeStrategy.KeySource {
    @Override
    public Class<?> keyType() {
      return type;
    }

    @Override
    public long count() {
      return ids.size();
    }

    @Override
    public Optional<Comparable<?>> keyAt(long position) {
      return position < ids.size() ? Optional.of(ids.get((int) position)) : Optional.empty();
    }

    @Override
    public Optional<Comparable<?>> min() {
      return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    @Override
    public Optional<Comparable<?>> max() {
      return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(ids.size() - 1));
    }
  }

  @Test
  void sampledRangesHoldEqualRowCountsWhateverTheIdSpread() {
    List<Long> skewed =
        LongStream.concat(
                LongStream.rangeClosed(1, 10), LongStream.rangeClosed(1_000_000, 1_000_089))
            .boxed()
            .toList();
    List<KeyRange> ranges = new KeyRangeStrategy.Sampled().ranges(new Ids(skewed, Long.class), 5);
    assertThat(ranges)
        .containsExactly(
            new KeyRange(null, 1_000_010L),
            new KeyRange(1_000_010L, 1_000_030L),
            new KeyRange(1_000_030L, 1_000_050L),
            new KeyRange(1_000_050L, 1_000_070L),
            new KeyRange(1_000_070L, null));
  }

  @Test
  void fewerRowsThanShardsGiveOneShardPerRowAndNoRowsNoShard() {
    Ids three = new Ids(List.of("a", "b", "c"), String.class);
    assertThat(new KeyRangeStrategy.Sampled().ranges(three, 10))
        .containsExactly(new KeyRange(null, "b"), new KeyRange("b", "c"), new KeyRange("c", null));
    assertThat(new KeyRangeStrategy.Sampled().ranges(new Ids(List.of(), String.class), 5))
        .isEmpty();
    assertThat(new KeyRangeStrategy.SequentialIntegers().ranges(new Ids(List.of(), Long.class), 5))
        .isEmpty();
  }

  @Test
  void sequentialIntegersSplitByValue() {
    List<Integer> ids = List.of(1, 2, 3, 100);
    assertThat(new KeyRangeStrategy.SequentialIntegers().ranges(new Ids(ids, Integer.class), 4))
        .containsExactly(
            new KeyRange(null, 26),
            new KeyRange(26, 51),
            new KeyRange(51, 76),
            new KeyRange(76, null));
  }

  @Test
  void sequentialIntegersRefuseOtherIds() {
    assertThatThrownBy(
            () ->
                new KeyRangeStrategy.SequentialIntegers()
                    .ranges(new Ids(List.of("a", "b"), String.class), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "KeyRangeStrategy.SequentialIntegers needs integer ids, but the ids are"
                + " java.lang.String: use KeyRangeStrategy.Sampled");
  }

  @Test
  void optionsRejectOutOfRangeValues() {
    assertThatThrownBy(() -> IterationOptions.shards(0))
        .hasMessage("IterationOptions.shards: 0 is out of range: use 1 to 1000 shards");
    assertThatThrownBy(() -> IterationOptions.defaults().batchSize(0))
        .hasMessage("IterationOptions.batchSize: 0 is out of range: use 1 to 10000 rows");
    assertThat(IterationOptions.defaults().shardCount()).isEqualTo(5);
    assertThat(IterationOptions.defaults().queue()).isEqualTo("default");
    assertThat(IterationOptions.defaults().isDeleteMarker()).isTrue();
    assertThat(IterationOptions.defaults().timeBudget()).hasSeconds(570);
  }
}
