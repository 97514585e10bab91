package org.kru;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.Test;

/** Trust and signatures, damaged packs, the results log (damage, append offset, merge), reports. */
public class PackAndLogTest {
  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x & 0xff));
    }
    return s.toString();
  }

  @Test
  public void trustAndSignatures() {
    byte[] signed = Fixtures.read(Fixtures.dir().resolve("signed.krupack"));
    byte[] signer = Fixtures.read(Fixtures.dir().resolve("signer.pub"));
    byte[] other = Fixtures.read(Fixtures.dir().resolve("other.pub"));
    assertEquals(32, signer.length);
    try (Pack p = Pack.load(signed, new LoadOptions().trustKey(signer))) {
      assertEquals("safe-migration", p.id());
    }
    // The hex text of a `kru keygen` .pub file, newline included.
    try (Pack p = Pack.load(signed, new LoadOptions().trustKeyHex(hex(signer) + "\n"))) {
      assertEquals("safe-migration", p.id());
    }
    Fixtures.expect(
        KruException.PACK_UNTRUSTED_SIGNER,
        () -> Pack.load(signed, new LoadOptions().trustKey(other)));
    Fixtures.expect(
        KruException.PACK_UNSIGNED, () -> Pack.load(Fixtures.packBytes(), new LoadOptions()));
    Fixtures.expect(
        KruException.INVALID_ARGUMENT,
        () -> Pack.load(signed, new LoadOptions().trustKey(Arrays.copyOf(signer, 31))));
    Fixtures.expect(
        KruException.INVALID_ARGUMENT,
        () -> Pack.load(signed, new LoadOptions().trustKeyHex("not hex")));
    // The hotline number changed after signing: refused.
    byte[] tampered = signed.clone();
    tampered[tampered.length / 2] ^= 1;
    KruException e =
        Fixtures.expect(
            KruException.PACK_CHECKSUM_MISMATCH,
            () -> Pack.load(tampered, new LoadOptions().trustKey(signer)));
    assertTrue(e.getMessage(), e.getMessage().startsWith("kru_pack_load: "));
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> Pack.load(null, new LoadOptions()));
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> Pack.load(signed, null));
  }

  @Test
  public void damagedPacksGiveCodesNeverCrashes() {
    byte[] good = Fixtures.packBytes();
    LoadOptions dev = new LoadOptions().allowUnsigned(true);
    Fixtures.expect(KruException.PACK_TRUNCATED, () -> Pack.load(new byte[0], dev));
    Fixtures.expect(
        KruException.PACK_BAD_MAGIC, () -> Pack.load("not a pack at all".getBytes(), dev));
    byte[] trailing = Arrays.copyOf(good, good.length + 3);
    Fixtures.expect(KruException.PACK_TRAILING_BYTES, () -> Pack.load(trailing, dev));
    // Truncated at many offsets: a PACK_* code every time.
    for (int cut = 0; cut < good.length; cut += 97) {
      byte[] t = Arrays.copyOf(good, cut);
      try (Pack p = Pack.load(t, dev)) {
        throw new AssertionError("a pack cut at " + cut + " loaded: " + p.id());
      } catch (KruException x) {
        assertTrue(x.toString(), x.code() >= 100 && x.code() < 200);
      }
    }
    // A byte flipped anywhere: refused (checksums), with a pack code.
    for (int i = 0; i < good.length; i += 131) {
      byte[] f = good.clone();
      f[i] ^= 0x20;
      try (Pack p = Pack.load(f, dev)) {
        throw new AssertionError("a pack with byte " + i + " flipped loaded: " + p.id());
      } catch (KruException x) {
        assertTrue(x.toString(), x.code() >= 100 && x.code() < 200);
      }
    }
  }

  @Test
  public void closedPackAndSessionsThatOutliveIt() {
    Pack p = Pack.load(Fixtures.packBytes(), new LoadOptions().allowUnsigned(true));
    Session s =
        Session.start(p, new StartOptions().journey("kiosk").learner("L").seed(1).nowMs(0));
    p.close();
    assertTrue(p.isClosed());
    Fixtures.expect(KruException.INVALID_HANDLE, p::id);
    Fixtures.expect(
        KruException.INVALID_HANDLE,
        () -> Session.start(p, new StartOptions().journey("kiosk").learner("L")));
    // The session keeps the pack's data alive.
    Step step = s.step();
    while (step.kind() != Step.Kind.DONE) {
      Fixtures.act(s, step, 1);
      step = s.step();
    }
    assertTrue(s.finish(2).completed);
    s.close();
  }

  private static byte[] log(long... seeds) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long seed : seeds) {
      try (Session s = Fixtures.start("school", "en", seed)) {
        Step step = s.step();
        long now = Fixtures.T0;
        while (step.kind() != Step.Kind.DONE) {
          now += 1000;
          Fixtures.act(s, step, now);
          step = s.step();
        }
        out.writeBytes(s.finish(now).logFrame());
      }
    }
    return out.toByteArray();
  }

  @Test
  public void resultsLogDamageAppendOffsetAndMerge() {
    byte[] one = log(1);
    byte[] three = log(1, 2, 3);
    ResultsLog.Contents c = ResultsLog.read(three);
    assertEquals(3, c.records.size());
    assertEquals(0, c.damaged.size());
    assertEquals(three.length, ResultsLog.appendOffset(three));
    assertTrue(c.description, c.description.startsWith("3 records"));
    // A torn last write: two records, the damage reported, the offset at the second's end.
    byte[] torn = Arrays.copyOf(three, three.length - 10);
    ResultsLog.Contents t = ResultsLog.read(torn);
    assertEquals(2, t.records.size());
    assertEquals(1, t.damaged.size());
    assertEquals(t.damaged.get(0).offset, ResultsLog.appendOffset(torn));
    // Damage in the middle: the records before and after it are recovered.
    byte[] hurt = three.clone();
    long firstEnd = ResultsLog.appendOffset(Arrays.copyOf(three, one.length + 5));
    assertEquals(one.length, firstEnd);
    hurt[(int) firstEnd + 20] ^= 0x7f;
    ResultsLog.Contents h = ResultsLog.read(hurt);
    assertEquals(2, h.records.size());
    assertEquals(1, h.damaged.size());
    assertEquals(c.records.get(0).json, h.records.get(0).json);
    assertEquals(c.records.get(2).json, h.records.get(1).json);
    // Garbage is damage, not an exception.
    ResultsLog.Contents g = ResultsLog.read("garbage, not a log".getBytes());
    assertEquals(0, g.records.size());
    assertEquals(1, g.damaged.size());
    assertEquals(0, ResultsLog.read(new byte[0]).records.size());
    // Merge drops duplicate records (same id) and damage.
    byte[] merged = ResultsLog.merge(three, torn, log(4), hurt);
    ResultsLog.Contents m = ResultsLog.read(merged);
    assertEquals(4, m.records.size());
    assertEquals(0, m.damaged.size());
    assertArrayEquals(new byte[0], ResultsLog.merge());
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> ResultsLog.merge(three, null));
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> ResultsLog.read(null));
  }

  @Test
  public void cohortReportAsJson() {
    byte[] log = log(11, 12, 13, 14);
    Map<String, Object> r = Json.obj(Json.parse(Fixtures.pack().cohortReportJson(log, null)), "report");
    Map<String, Object> records = Json.obj(r.get("records"), "records");
    assertEquals(4L, records.get("accepted"));
    Map<String, Object> by =
        Json.obj(
            Json.parse(
                Fixtures.pack()
                    .cohortReportJson(log, new ReportOptions().by("sex").journey("school").minN(2))),
            "report");
    Map<String, Object> opts = Json.obj(by.get("options"), "options");
    assertEquals("sex", opts.get("by"));
    assertEquals(2L, opts.get("min_n"));
    Map<String, Object> all =
        Json.obj(
            Json.obj(
                    Json.parse(
                        Fixtures.pack()
                            .cohortReportJson(
                                log,
                                new ReportOptions()
                                    .ceilingPercent(80.5)
                                    .smallGroup(3)
                                    .maxGroups(7)
                                    .attritionShare(0.25))),
                    "report")
                .get("options"),
            "options");
    assertEquals(80.5, (Double) all.get("ceiling_percent"), 0);
    assertEquals(3L, all.get("small_group"));
    assertEquals(7L, all.get("max_groups"));
    assertEquals(0.25, (Double) all.get("attrition_share"), 0);
    Fixtures.expect(
        KruException.REPORT_UNKNOWN_FIELD,
        () -> Fixtures.pack().cohortReportJson(log, new ReportOptions().by("shoe-size")));
    Fixtures.expect(
        KruException.UNKNOWN_JOURNEY,
        () -> Fixtures.pack().cohortReportJson(log, new ReportOptions().journey("nope")));
    // A damaged log still reports, and says so.
    byte[] torn = Arrays.copyOf(log, log.length - 7);
    Map<String, Object> d = Json.obj(Json.parse(Fixtures.pack().cohortReportJson(torn, null)), "report");
    assertEquals(1L, Json.obj(d.get("records"), "records").get("damaged_stretches"));
  }
}
