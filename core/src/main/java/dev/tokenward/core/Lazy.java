package dev.tokenward.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made on first use, once, then read without a lock. A validator carries state that most
 * services never touch (the DPoP replay records, the opaque-token answers); made at build, those
 * caches were most of what a new validator cost before its first token.
 */
final class Lazy<T> implements Supplier<T> {
  private Supplier<? extends T> make; // dropped once made, with what it captured
  private volatile T value;

  Lazy(Supplier<? extends T> make) {
    this.make = Objects.requireNonNull(make, "make");
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          value = v = Objects.requireNonNull(make.get(), "made null");
          make = null;
        }
      }
    }
    return v;
  }

  /** Whether the value has been made (tests). */
  boolean made() {
    return value != null;
  }
}
