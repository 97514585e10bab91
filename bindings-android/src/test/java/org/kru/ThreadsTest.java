package org.kru;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** Many sessions on several threads at once, sharing one pack. */
public class ThreadsTest {
  private static String run(Pack pack, String journey, long seed, String language) {
    try (Session s =
        Session.start(
            pack,
            new StartOptions()
                .journey(journey)
                .languages(language)
                .seed(seed)
                .learner("T-" + seed)
                .nowMs(Fixtures.T0))) {
      long now = Fixtures.T0;
      Step step = s.step();
      while (step.kind() != Step.Kind.DONE) {
        now += 1000;
        Fixtures.act(s, step, now);
        step = s.step();
      }
      return s.finish(now).json;
    }
  }

  @Test
  public void sessionsOnEightThreadsMatchSingleThreadedRuns() throws Exception {
    Pack pack = Fixtures.pack();
    int threads = 8, perThread = 12;
    ConcurrentHashMap<Long, String> expected = new ConcurrentHashMap<>();
    for (long seed = 0; seed < threads * perThread; seed++) {
      expected.put(seed, run(pack, seed % 2 == 0 ? "school" : "kiosk", seed, seed % 3 == 0 ? "km" : "en"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final int first = t * perThread;
      results.add(
          pool.submit(
              () -> {
                go.await();
                int same = 0;
                for (long seed = first; seed < first + perThread; seed++) {
                  String json =
                      run(pack, seed % 2 == 0 ? "school" : "kiosk", seed, seed % 3 == 0 ? "km" : "en");
                  if (json.equals(expected.get(seed))) {
                    same++;
                  }
                  // Errors are per thread: a failure here must not disturb the others.
                  try {
                    Session.start(pack, new StartOptions().journey("none-" + seed).learner("x"));
                  } catch (KruException e) {
                    if (e.code() != KruException.UNKNOWN_JOURNEY
                        || !e.getMessage().contains("none-" + seed)) {
                      throw e;
                    }
                  }
                }
                return same;
              }));
    }
    go.countDown();
    int same = 0;
    for (Future<Integer> f : results) {
      same += f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
    assertEquals(threads * perThread, same);
  }

  @Test
  public void oneSessionHandedBetweenThreads() throws Exception {
    String expected = run(Fixtures.pack(), "kiosk", 77, "km");
    Session s =
        Session.start(
            Fixtures.pack(),
            new StartOptions().journey("kiosk").languages("km").seed(77).learner("T-77").nowMs(Fixtures.T0));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    long now = Fixtures.T0;
    Step step = s.step();
    while (step.kind() != Step.Kind.DONE) {
      final Step st = step;
      final long t = now += 1000;
      step = pool.submit(() -> { Fixtures.act(s, st, t); return s.step(); }).get();
    }
    final long end = now;
    assertEquals(expected, pool.submit(() -> s.finish(end).json).get());
    pool.shutdown();
    s.close();
  }
}
