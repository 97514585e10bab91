package org.kru;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** How {@link Session#start} starts a journey. Like the JS API's {@code StartOptions}. */
public final class StartOptions {
  String journey;
  List<String> languages = Collections.emptyList();
  long seed;
  String learner;
  long nowMs = System.currentTimeMillis();

  /** Journey id, e.g. {@code "kiosk"} (see {@link Pack#journeys()}). Required. */
  public StartOptions journey(String journey) {
    this.journey = journey;
    return this;
  }

  /** Preferred languages, best first, as BCP 47 tags (e.g. {@code "km-KH", "en"}). */
  public StartOptions languages(String... languages) {
    Session.notNull(languages, "languages");
    this.languages = Collections.unmodifiableList(Arrays.asList(languages.clone()));
    return this;
  }

  /** Seed for every random choice (any 64-bit value; negative longs are taken as unsigned). */
  public StartOptions seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** A pseudonymous learner code (never a name): 1 to 64 printable characters in any script (at most 256 bytes of UTF-8). Required. */
  public StartOptions learner(String learner) {
    this.learner = learner;
    return this;
  }

  /** The host's clock, milliseconds since the Unix epoch (default: now). */
  public StartOptions nowMs(long nowMs) {
    this.nowMs = nowMs;
    return this;
  }
}
