package dev.tokenward.core;

import java.util.Collection;

/** The nearest known word to a misspelt one, for "did you mean" in configuration errors. */
final class DidYouMean {
  private DidYouMean() {}

  /**
   * The candidate closest to {@code word} by edit distance (a swap of two neighbours counts as one
   * edit), if it is close enough to be a slip rather than another word; else {@code null}.
   */
  static String closest(String word, Collection<String> candidates) {
    if (word.length() > 100) {
      return null; // not a slip of the keyboard
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance > 0 && bestDistance <= allowed(Math.max(word.length(), best.length())) ? best
        : null;
  }

  private static int allowed(int length) {
    return length <= 4 ? 1 : length <= 10 ? 2 : 3;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
