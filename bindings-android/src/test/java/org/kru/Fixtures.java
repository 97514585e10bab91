package org.kru;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * What the host tests share: the packs built by {@code cargo xtask test jvm} (system property
 * {@code org.kru.test.dir}), the workspace root ({@code org.kru.test.root}), and a
 * deterministic way to walk a journey.
 */
final class Fixtures {
  private Fixtures() {}

  static final long T0 = 1767225600000L; // 2026-01-01T00:00:00Z

  static Path dir() {
    String d = System.getProperty("org.kru.test.dir");
    if (d == null) {
      throw new IllegalStateException("set -Dorg.kru.test.dir (cargo xtask test jvm does)");
    }
    return Paths.get(d);
  }

  static Path root() {
    String d = System.getProperty("org.kru.test.root");
    if (d == null) {
      throw new IllegalStateException("set -Dorg.kru.test.root (cargo xtask test jvm does)");
    }
    return Paths.get(d);
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(Path p) {
    return new String(read(p), StandardCharsets.UTF_8);
  }

  static byte[] packBytes() {
    return read(dir().resolve("safe-migration.krupack"));
  }

  private static Pack shared;

  /** The unsigned safe-migration pack, loaded once with unsigned packs allowed. */
  static synchronized Pack pack() {
    if (shared == null) {
      shared = Pack.load(packBytes(), new LoadOptions().allowUnsigned(true));
    }
    return shared;
  }

  static Session start(String journey, String language, long seed) {
    return Session.start(
        pack(),
        new StartOptions()
            .journey(journey)
            .languages(language)
            .seed(seed)
            .learner("L-0001")
            .nowMs(T0));
  }

  /** Expects {@code r} to throw a KruException with {@code code}; returns it. */
  static KruException expect(int code, Runnable r) {
    try {
      r.run();
    } catch (KruException e) {
      assertEquals(
          "code of " + e + " (expected " + Kru.resultName(code) + ")", code, e.code());
      assertEquals(Kru.resultName(code), e.codeName());
      assertTrue("message: " + e.getMessage(), e.getMessage() != null && !e.getMessage().isEmpty());
      return e;
    }
    fail("expected KruException " + Kru.resultName(code));
    return null;
  }

  /**
   * Gives the current step a valid answer chosen only from the step (first option, shown
   * order, Khmer digits for the hotline), or advances. Returns the answer given, or null when
   * it advanced. Throws nothing at a done step: the caller stops there.
   */
  static Answer act(Session s, Step step, long now) {
    Answer a = answerFor(step);
    if (a == null) {
      s.advance(now);
    } else {
      s.answer(a, now);
    }
    return a;
  }

  static Answer answerFor(Step step) {
    switch (step.kind()) {
      case INTAKE:
        {
          Step.Intake i = (Step.Intake) step;
          return i.options.isEmpty() ? Answer.text("Prey Veng") : Answer.choice(i.options.size() - 1);
        }
      case STORY:
        {
          Step.Story st = (Step.Story) step;
          return st.choices.isEmpty() ? null : Answer.choice(st.choices.size() - 1);
        }
      case QUESTION:
        {
          Step.Question q = (Step.Question) step;
          int n = q.options.size();
          switch (q.expects) {
            case CHOICE:
              return Answer.choice(n - 1);
            case CHOICES:
              return Answer.choices(0, n - 1);
            case TRUE_FALSE:
              return Answer.trueFalse(true);
            case ORDER:
              {
                int[] o = new int[n];
                for (int i = 0; i < n; i++) {
                  o[i] = n - 1 - i;
                }
                return Answer.order(o);
              }
            case MATCHES:
              {
                int[] m = new int[q.left.size()];
                for (int i = 0; i < m.length; i++) {
                  m[i] = i % n;
                }
                return Answer.matches(m);
              }
            case TEXT:
              return Answer.text("១២៨៨");
            case SCALE:
              return Answer.scale(n / 2);
          }
          throw new AssertionError(q.expects);
        }
      default:
        return null;
    }
  }

  /** A straight run: the step JSON of every step, the record's JSON last. */
  static List<String> straightRun(String journey, String language, long seed) {
    List<String> trace = new ArrayList<>();
    try (Session s = start(journey, language, seed)) {
      long now = T0;
      for (int i = 0; i < 2000; i++) {
        Step step = s.step();
        trace.add(stepJson(s));
        if (step.kind() == Step.Kind.DONE) {
          trace.add(s.finish(now).json);
          return trace;
        }
        now += 1000;
        act(s, step, now);
      }
    }
    throw new AssertionError("the journey did not end in 2000 steps");
  }

  static String stepJson(Session s) {
    return s.stepJson();
  }
}
