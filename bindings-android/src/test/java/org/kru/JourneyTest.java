package org.kru;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

/** Whole journeys through the Java API, as an Android app would run them. */
public class JourneyTest {
  private static final String KM_STRINGS =
      "content-packs/safe-migration/i18n/km.toml";

  @Test
  public void versionsAndPackMetadata() {
    assertEquals(2, Kru.abiVersion());
    assertTrue(Kru.version().matches("\\d+\\.\\d+\\.\\d+.*"));
    Pack p = Fixtures.pack();
    assertEquals("safe-migration", p.id());
    assertEquals("1.0.0", p.version());
    Pack.Language km = p.languages().get(0);
    assertEquals("km", km.tag);
    assertEquals("ខ្មែរ", km.name);
    assertFalse(km.reviewed);
    assertEquals("en", p.languages().get(p.defaultLanguage()).tag);
    Set<String> journeys = new HashSet<>();
    for (Pack.Journey j : p.journeys()) {
      journeys.add(j.id);
      assertFalse(j.title.isEmpty());
    }
    assertTrue(journeys.contains("school") && journeys.contains("kiosk"));
    assertTrue(Fixtures.text(Fixtures.root().resolve(KM_STRINGS)).contains(p.title(km.index)));
  }

  @Test
  public void wholeSchoolJourneyInKhmer() {
    String km = Fixtures.text(Fixtures.root().resolve(KM_STRINGS));
    Set<Step.Kind> kinds = EnumSet.noneOf(Step.Kind.class);
    Set<AnswerType> types = EnumSet.noneOf(AnswerType.class);
    int blocks = 0, endings = 0, consequences = 0, hotlineRight = 0;
    try (Session s = Fixtures.start("school", "km-KH", 7)) {
      assertEquals("km", s.language());
      assertEquals("school", s.journey());
      assertEquals("L-0001", s.learner());
      assertEquals(7, s.seed());
      long now = Fixtures.T0;
      Step step = s.step();
      while (step.kind() != Step.Kind.DONE) {
        kinds.add(step.kind());
        assertEquals(step.kind(), s.stepKind());
        if (step instanceof Step.Question) {
          Step.Question q = (Step.Question) step;
          types.add(q.expects);
          // Khmer arrives intact: the prompt is a string of the Khmer strings file.
          assertTrue(q.prompt.text, km.contains(q.prompt.text));
          assertTrue(q.number >= 1 && q.number <= q.total);
        } else if (step instanceof Step.Page) {
          Step.Page pg = (Step.Page) step;
          assertTrue(pg.page >= 1 && pg.page <= pg.pages && !pg.blocks.isEmpty());
          for (Block b : pg.blocks) {
            blocks++;
            switch (b.type) {
              case HEADING:
              case PARAGRAPH:
              case EMPHASIS:
                assertTrue(km.contains(b.text.text));
                break;
              case LIST:
                assertFalse(b.entries.isEmpty());
                break;
              case KEY_MESSAGE:
                assertNotNull(b.objective);
                assertNotNull(b.title);
                break;
              case RESOURCE:
                assertEquals("1288", b.resource.phone);
                break;
              default:
                break;
            }
          }
        } else if (step instanceof Step.Story) {
          Step.Story st = (Step.Story) step;
          if (st.ending != null) {
            endings++;
            assertTrue(Set.of("safe", "unsafe", "neutral").contains(st.ending));
          }
          if (st.consequence != null) {
            consequences++;
            assertNotNull(st.chosen);
          }
        } else if (step instanceof Step.Feedback) {
          Step.Feedback f = (Step.Feedback) step;
          assertTrue(f.credit >= 0 && f.credit <= 1);
          if (f.item.startsWith("hotline-num")) {
            assertTrue("Khmer digits ១២៨៨ are the right answer", f.correct);
            hotlineRight++;
          }
        } else if (step instanceof Step.Card) {
          Step.Card c = (Step.Card) step;
          assertEquals(6, c.messages.size());
          assertEquals("1288", c.resources.get(0).phone);
          assertTrue(c.resources.get(0).verifiedYear >= 2024);
        } else if (step instanceof Step.Intake) {
          assertTrue(km.contains(((Step.Intake) step).label.text));
        }
        now += 1000;
        Fixtures.act(s, step, now);
        step = s.step();
      }
      assertEquals(EnumSet.complementOf(EnumSet.of(Step.Kind.DONE)), kinds);
      // Every type a question can expect ("I don't know" is offered, never expected).
      assertEquals(EnumSet.complementOf(EnumSet.of(AnswerType.DONT_KNOW)), types);
      assertTrue(blocks > 5 && endings > 0 && consequences > 0 && hotlineRight > 0);
      Scores done = ((Step.Done) step).scores;
      assertTrue(done.hasPre && done.hasPost && done.hasGain && done.preMax > 0);
      Progress pr = s.progress();
      assertTrue(pr.atEnd && pr.done == pr.total);
      assertFalse(s.isFinished());
      ResultRecord r = s.finish(now + 1000);
      assertTrue(s.isFinished());
      assertEquals("L-0001", r.learner);
      assertEquals("safe-migration", r.packId);
      assertEquals("school", r.journey);
      assertEquals("km", r.language);
      assertTrue(r.completed);
      assertEquals(Fixtures.T0, r.startedAtMs);
      assertEquals(now + 1000, r.endedAtMs);
      assertEquals(16, r.recordId().length);
      assertNotNull(r.demographic("sex"));
      assertEquals("Prey Veng", r.demographic("commune"));
      assertEquals(done.preScore, r.scores.preScore, 1e-9);
      assertEquals(done.postScore, r.scores.postScore, 1e-9);
      assertTrue(r.logFrame().length > 100);
      // The frame reads back as the same record.
      ResultsLog.Contents c = ResultsLog.read(r.logFrame());
      assertEquals(1, c.records.size());
      assertEquals(r.json, c.records.get(0).json);
      assertArrayEquals(r.recordId(), c.records.get(0).recordId());
    }
  }

  @Test
  public void wholeKioskJourneyAndRecord() {
    try (Session s = Fixtures.start("kiosk", "en", 42)) {
      Fixtures.expect(KruException.NOT_FINISHED, () -> s.finish(Fixtures.T0));
      long now = Fixtures.T0;
      int questions = 0, feedback = 0;
      Step step = s.step();
      while (step.kind() != Step.Kind.DONE) {
        if (step.kind() == Step.Kind.QUESTION) {
          questions++;
        }
        if (step.kind() == Step.Kind.FEEDBACK) {
          feedback++;
          // The post-test is reviewed after its score (feedback = "after-phase").
          Step.Feedback f = (Step.Feedback) step;
          assertEquals(feedback, f.reviewNumber);
          assertEquals(5, f.reviewTotal);
          assertFalse(f.prompt.text.isEmpty());
          assertFalse(f.itemKind.isEmpty());
        }
        now += 1500;
        Fixtures.act(s, step, now);
        step = s.step();
      }
      assertEquals(10, questions);
      assertEquals(5, feedback);
      ResultRecord r = s.finish(now);
      assertEquals(10, r.responseCount);
      assertTrue(r.scores.hasPre && r.scores.hasPost);
      assertEquals(5.0, r.scores.preMax, 0);
      assertTrue(r.demographics.isEmpty());
      Fixtures.expect(KruException.SESSION_ENDED, () -> s.finish(Fixtures.T0));
      Fixtures.expect(KruException.SESSION_ENDED, () -> s.abandon(Fixtures.T0));
    }
  }

  @Test
  public void abandonKeepsThePartialRecord() {
    try (Session s = Fixtures.start("school", "en", 3)) {
      for (int i = 0; i < 5; i++) {
        Fixtures.act(s, s.step(), Fixtures.T0 + i);
      }
      ResultRecord r = s.abandon(Fixtures.T0 + 99);
      assertFalse(r.completed);
      assertTrue(s.isFinished());
      assertNull(r.demographic("no-such-field"));
    }
  }

  @Test
  public void languageSwitchMidSession() {
    try (Session s = Fixtures.start("kiosk", "en", 5)) {
      Step.Question en = (Step.Question) s.step();
      s.setLanguages("km");
      assertEquals("km", s.language());
      Step.Question km = (Step.Question) s.step();
      assertEquals(en.item, km.item);
      assertFalse(en.prompt.text.equals(km.prompt.text));
      s.setLanguages("xx", "en");
      assertEquals("en", s.language());
    }
  }

  @Test
  public void labelsSayWhenTheirAudioIsASyntheticVoice() {
    // The kiosk's English is read by a synthetic voice (audio/en/synthetic/…); its Khmer has
    // no audio at all (none is faked).
    try (Session s = Fixtures.start("kiosk", "en", 5)) {
      Step.Question en = (Step.Question) s.step();
      assertNotNull(en.prompt.audio);
      assertTrue(en.prompt.audio, en.prompt.audio.startsWith("audio/en/synthetic/"));
      assertTrue("the English prompt's audio is a synthetic voice", en.prompt.synthetic);
      s.setLanguages("km");
      Step.Question km = (Step.Question) s.step();
      assertNull(km.prompt.audio);
      assertFalse("no audio, so no synthetic voice", km.prompt.synthetic);
    }
    // The engine leaves "synthetic" out when false: a recording is not a synthetic voice.
    Label recorded =
        Label.of(Json.parse("{\"text\":\"x\",\"audio\":\"audio/km/x.ogg\"}"), "label");
    assertEquals("audio/km/x.ogg", recorded.audio);
    assertFalse(recorded.synthetic);
    Label voice =
        Label.of(
            Json.parse(
                "{\"text\":\"x\",\"audio\":\"audio/en/synthetic/x.ogg\",\"synthetic\":true}"),
            "label");
    assertTrue(voice.synthetic);
    // A wrong type is a clear error, never a silent false.
    Fixtures.expect(
        KruException.SESSION_ERROR,
        () -> Label.of(Json.parse("{\"text\":\"x\",\"synthetic\":\"yes\"}"), "label"));
  }

  @Test
  public void burmesePackAndTextRoundTrips() {
    byte[] bytes = Fixtures.read(Fixtures.dir().resolve("burmese.krupack"));
    try (Pack p = Pack.load(bytes, new LoadOptions().allowUnsigned(true))) {
      Pack.Language my = null;
      for (Pack.Language l : p.languages()) {
        if (l.tag.equals("my")) {
          my = l;
        }
      }
      assertNotNull(my);
      assertEquals("မြန်မာ", my.name);
      assertEquals("ဘေးကင်းသော ရွှေ့ပြောင်းသွားလာခြင်း", p.title(my.index));
      String learner = "မောင်-၀၁"; // Burmese letters, a medial, an asat and Burmese digits
      try (Session s =
          Session.start(
              p,
              new StartOptions()
                  .journey("school")
                  .languages("my-MM", "en")
                  .seed(9)
                  .learner(learner)
                  .nowMs(Fixtures.T0))) {
        assertEquals("my", s.language());
        assertEquals(learner, s.learner());
        long now = Fixtures.T0;
        boolean sawSex = false, sawCommune = false;
        String commune = "ရန်ကုန် 🏠 ၁၂"; // plus a character outside the BMP (4 UTF-8 bytes)
        Step step = s.step();
        while (step.kind() != Step.Kind.DONE) {
          now += 1000;
          if (step instanceof Step.Intake) {
            Step.Intake in = (Step.Intake) step;
            if (in.field.equals("sex")) {
              sawSex = true;
              assertEquals("သင်သည်…", in.label.text);
              assertEquals("အမျိုးသမီး", in.options.get(0).label.text);
              s.answerChoice(0, now);
              step = s.step();
              continue;
            }
            if (in.field.equals("commune")) {
              sawCommune = true;
              assertEquals("သင် ဘယ်ကျေးရွာအုပ်စုမှာ နေပါသလဲ။", in.label.text);
              s.answerText(commune, now);
              step = s.step();
              continue;
            }
          }
          Fixtures.act(s, step, now);
          step = s.step();
        }
        assertTrue(sawSex && sawCommune);
        ResultRecord r = s.finish(now);
        assertEquals(learner, r.learner);
        assertEquals("my", r.language);
        assertEquals("female", r.demographic("sex"));
        assertEquals(commune, r.demographic("commune"));
        // And through the log and back.
        ResultRecord back = ResultsLog.read(r.logFrame()).records.get(0);
        assertEquals(learner, back.learner);
        assertEquals(commune, back.demographic("commune"));
      }
    }
  }
}
