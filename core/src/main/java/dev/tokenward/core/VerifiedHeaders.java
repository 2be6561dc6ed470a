package dev.tokenward.core;

import java.util.Map;

/**
 * Headers of tokens that verified, by their encoded form: an issuer signs many tokens with one
 * header, so each is decoded once. Only verified headers enter, and at most {@value #MAX} of them,
 * so an attacker cannot fill it. A lookup compares the token's prefix in place (no substring): the
 * list is an immutable array replaced on the rare add, read with one volatile load.
 */
final class VerifiedHeaders {
  static final int MAX = 64;

  private record Entry(String segment, Map<String, Object> header) {}

  private volatile Entry[] entries = new Entry[0];

  /** The frozen header whose encoded form is {@code token}'s first segment, or null. */
  Map<String, Object> find(String token, int firstDot) {
    for (Entry e : entries) {
      String segment = e.segment();
      if (segment.length() == firstDot && token.startsWith(segment)) {
        return e.header();
      }
    }
    return null;
  }

  /** Remembers a verified token's (frozen) header; a no-op when full or already known. */
  synchronized void add(String segment, Map<String, Object> frozenHeader) {
    Entry[] current = entries;
    if (current.length >= MAX || find(segment + ".", segment.length()) != null) {
      return;
    }
    Entry[] next = java.util.Arrays.copyOf(current, current.length + 1);
    next[current.length] = new Entry(segment, frozenHeader);
    entries = next;
  }
}
