package dev.deferred.impl.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the valid name closest to a misspelt one, for "did you mean" hints. */
public final class Suggestions {
  private Suggestions() {}

  /** The candidate with the smallest edit distance, if it is close enough to be a likely typo. */
  public static Optional<String> nearest(String wrong, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(wrong, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    // Beyond a third of the length the "suggestion" is noise rather than a typo fix.
    return best != null && bestDistance <= Math.max(3, wrong.length() / 3)
        ? Optional.of(best)
        : Optional.empty();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
