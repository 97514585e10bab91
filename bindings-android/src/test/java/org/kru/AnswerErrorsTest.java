package org.kru;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.Test;

/** Every answer type, and the right code for every wrong answer. */
public class AnswerErrorsTest {
  private static final String LONG = "a".repeat(2000);

  /** Wrong answers for `q` of every other type and out of range; none changes the session. */
  private static void wrongAnswers(Session s, Step.Question q) {
    String before = s.stepJson();
    int n = q.options.size();
    for (AnswerType t : AnswerType.values()) {
      // "I don't know" is offered, not a type a question expects: its own test below.
      if (t == q.expects || t == AnswerType.DONT_KNOW) {
        continue;
      }
      Answer wrong;
      switch (t) {
        case CHOICE:
          wrong = Answer.choice(0);
          break;
        case CHOICES:
          wrong = Answer.choices(0);
          break;
        case TRUE_FALSE:
          wrong = Answer.trueFalse(false);
          break;
        case ORDER:
          wrong = Answer.order(0);
          break;
        case MATCHES:
          wrong = Answer.matches(0);
          break;
        case TEXT:
          wrong = Answer.text("x");
          break;
        default:
          wrong = Answer.scale(0);
          break;
      }
      KruException e =
          Fixtures.expect(KruException.WRONG_ANSWER_TYPE, () -> s.answer(wrong, Fixtures.T0));
      assertTrue(e.getMessage(), e.getMessage().contains(q.item));
    }
    switch (q.expects) {
      case CHOICE:
        Fixtures.expect(KruException.ANSWER_OUT_OF_RANGE, () -> s.answerChoice(n, Fixtures.T0));
        // A Java int past 16 bits never wraps to option 0.
        KruException e =
            Fixtures.expect(
                KruException.ANSWER_OUT_OF_RANGE, () -> s.answerChoice(65536, Fixtures.T0));
        assertTrue(e.getMessage(), e.getMessage().contains("65536"));
        Fixtures.expect(
            KruException.ANSWER_OUT_OF_RANGE, () -> s.answerChoice(Integer.MAX_VALUE, Fixtures.T0));
        Fixtures.expect(KruException.ANSWER_OUT_OF_RANGE, () -> s.answerChoice(-1, Fixtures.T0));
        break;
      case CHOICES:
        Fixtures.expect(
            KruException.ANSWER_OUT_OF_RANGE, () -> s.answerChoices(new int[] {0, n}, Fixtures.T0));
        Fixtures.expect(
            KruException.ANSWER_OUT_OF_RANGE, () -> s.answerChoices(new int[] {0, 0}, Fixtures.T0));
        Fixtures.expect(
            KruException.ANSWER_OUT_OF_RANGE,
            () -> s.answerChoices(new int[] {65536}, Fixtures.T0));
        break;
      case ORDER:
        {
          int[] o = new int[n];
          for (int i = 0; i < n; i++) {
            o[i] = i;
          }
          Fixtures.expect(
              KruException.ANSWER_OUT_OF_RANGE,
              () -> s.answerOrder(Arrays.copyOf(o, n - 1), Fixtures.T0));
          int[] wide = o.clone();
          wide[0] += 65536; // a valid order if it wrapped
          Fixtures.expect(KruException.ANSWER_OUT_OF_RANGE, () -> s.answerOrder(wide, Fixtures.T0));
          break;
        }
      case MATCHES:
        {
          int[] m = new int[q.left.size()];
          Fixtures.expect(
              KruException.ANSWER_OUT_OF_RANGE,
              () -> s.answerMatches(Arrays.copyOf(m, m.length + 1), Fixtures.T0));
          m[0] = n;
          Fixtures.expect(KruException.ANSWER_OUT_OF_RANGE, () -> s.answerMatches(m, Fixtures.T0));
          break;
        }
      case TEXT:
        Fixtures.expect(KruException.ANSWER_TOO_LONG, () -> s.answerText(LONG, Fixtures.T0));
        break;
      case SCALE:
        Fixtures.expect(KruException.ANSWER_OUT_OF_RANGE, () -> s.answerScale(n, Fixtures.T0));
        Fixtures.expect(KruException.ANSWER_OUT_OF_RANGE, () -> s.answerScale(65536 + 1, Fixtures.T0));
        Fixtures.expect(KruException.ANSWER_OUT_OF_RANGE, () -> s.answerScale(-3, Fixtures.T0));
        break;
      default:
        break;
    }
    Fixtures.expect(KruException.ANSWER_REQUIRED, () -> s.advance(Fixtures.T0));
    assertEquals("errors leave the session unchanged", before, s.stepJson());
  }

  @Test
  public void everyAnswerTypeAndEveryWrongAnswer() {
    Set<AnswerType> checked = EnumSet.noneOf(AnswerType.class);
    int endings = 0;
    try (Session s = Fixtures.start("school", "en", 7)) {
      long now = Fixtures.T0;
      Step step = s.step();
      while (step.kind() != Step.Kind.DONE) {
        final Step st = step;
        switch (st.kind()) {
          case QUESTION:
            wrongAnswers(s, (Step.Question) st);
            checked.add(((Step.Question) st).expects);
            break;
          case PAGE:
          case FEEDBACK:
          case PHASE_SUMMARY:
          case CARD:
            Fixtures.expect(KruException.NOT_ANSWERABLE, () -> s.answerChoice(0, Fixtures.T0));
            break;
          case STORY:
            {
              Step.Story story = (Step.Story) st;
              if (story.choices.isEmpty()) {
                // A consequence and an ending alike: advance, not "0 choices".
                KruException e =
                    Fixtures.expect(
                        KruException.NOT_ANSWERABLE, () -> s.answerChoice(0, Fixtures.T0));
                if (story.ending != null) {
                  endings++;
                  assertTrue(e.getMessage(), e.getMessage().contains("ending"));
                }
              } else {
                Fixtures.expect(
                    KruException.ANSWER_OUT_OF_RANGE,
                    () -> s.answerChoice(story.choices.size(), Fixtures.T0));
                Fixtures.expect(
                    KruException.WRONG_ANSWER_TYPE, () -> s.answerTrueFalse(true, Fixtures.T0));
                Fixtures.expect(KruException.ANSWER_REQUIRED, () -> s.advance(Fixtures.T0));
              }
              break;
            }
          case INTAKE:
            {
              Step.Intake in = (Step.Intake) st;
              if (in.options.isEmpty()) {
                Fixtures.expect(
                    KruException.ANSWER_TOO_LONG, () -> s.answerText(LONG, Fixtures.T0));
                Fixtures.expect(
                    KruException.WRONG_ANSWER_TYPE, () -> s.answerChoice(0, Fixtures.T0));
              } else {
                Fixtures.expect(
                    KruException.ANSWER_OUT_OF_RANGE,
                    () -> s.answerChoice(in.options.size(), Fixtures.T0));
                Fixtures.expect(
                    KruException.WRONG_ANSWER_TYPE, () -> s.answerText("x", Fixtures.T0));
              }
              if (in.required) {
                Fixtures.expect(KruException.ANSWER_REQUIRED, () -> s.advance(Fixtures.T0));
              }
              break;
            }
          default:
            break;
        }
        now += 1000;
        Fixtures.act(s, st, now);
        step = s.step();
      }
      // Every type a question can expect ("I don't know" is offered, never expected).
      assertEquals(EnumSet.complementOf(EnumSet.of(AnswerType.DONT_KNOW)), checked);
      assertTrue(endings > 0);
      // The done step points to finish, for answers and advance alike.
      KruException e = Fixtures.expect(KruException.JOURNEY_COMPLETE, () -> s.advance(Fixtures.T0));
      assertTrue(e.getMessage(), e.getMessage().contains("finish"));
      Fixtures.expect(KruException.JOURNEY_COMPLETE, () -> s.answerChoice(0, Fixtures.T0));
      Fixtures.expect(KruException.JOURNEY_COMPLETE, () -> s.answerText("x", Fixtures.T0));
      s.finish(now);
      Fixtures.expect(KruException.SESSION_ENDED, () -> s.advance(Fixtures.T0));
      Fixtures.expect(KruException.SESSION_ENDED, () -> s.answerChoice(0, Fixtures.T0));
    }
  }

  /** "I don't know" (issue 15): offered in the kiosk, scored 0, shown as such; refused elsewhere. */
  @Test
  public void dontKnowInTheKioskAndRefusedElsewhere() {
    Session s = Fixtures.start("kiosk", "km", 3);
    long now = Fixtures.T0;
    int asked = 0;
    int reviewed = 0;
    Step step = s.step();
    while (step.kind() != Step.Kind.DONE) {
      now += 1000;
      if (step.kind() == Step.Kind.QUESTION) {
        assertTrue(((Step.Question) step).dontKnow);
        s.answer(Answer.dontKnow(), now);
        asked++;
      } else {
        if (step.kind() == Step.Kind.FEEDBACK) {
          Step.Feedback f = (Step.Feedback) step;
          assertTrue(f.dontKnow && !f.correct && f.credit == 0.0);
          reviewed++;
        }
        s.advance(now);
      }
      step = s.step();
    }
    assertEquals(10, asked);
    assertEquals(5, reviewed);
    ResultRecord r = s.finish(now);
    assertEquals(0.0, r.scores.preScore, 0.0);
    assertEquals(5.0, r.scores.preMax, 0.0);
    assertEquals(0.0, r.scores.postScore, 0.0);
    assertTrue(r.json, r.json.contains("\"DontKnow\""));
    assertEquals("dont-know", Answer.dontKnow().toString());

    Session school = Fixtures.start("school", "km", 3);
    Step st = school.step();
    while (st.kind() != Step.Kind.QUESTION) {
      Fixtures.act(school, st, now);
      st = school.step();
    }
    assertTrue(!((Step.Question) st).dontKnow);
    KruException e =
        Fixtures.expect(KruException.DONT_KNOW_NOT_OFFERED, () -> school.answerDontKnow(Fixtures.T0));
    assertTrue(e.getMessage(), e.getMessage().contains("does not offer"));
    assertEquals(Step.Kind.QUESTION, school.step().kind());
  }

  @Test
  public void badArgumentsAreExceptionsNotCrashes() {
    Session s = Fixtures.start("kiosk", "en", 1);
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> s.answer(null, 0));
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> s.answerText(null, 0));
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> s.answerChoices(null, 0));
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> s.setLanguages((String[]) null));
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> s.setLanguages("en", null));
    Fixtures.expect(KruException.NULL_ARGUMENT, () -> Session.start(null, new StartOptions()));
    Fixtures.expect(
        KruException.NULL_ARGUMENT,
        () -> Session.start(Fixtures.pack(), new StartOptions().journey("kiosk")));
    Fixtures.expect(
        KruException.UNKNOWN_JOURNEY,
        () ->
            Session.start(
                Fixtures.pack(), new StartOptions().journey("ក្រុម").learner("L")));
    Fixtures.expect(
        KruException.BAD_LEARNER_CODE,
        () -> Session.start(Fixtures.pack(), new StartOptions().journey("kiosk").learner("")));
    Fixtures.expect(
        KruException.BAD_LEARNER_CODE,
        () ->
            Session.start(
                Fixtures.pack(), new StartOptions().journey("kiosk").learner("L\u0000x")));
    Fixtures.expect(
        KruException.BAD_LEARNER_CODE,
        () ->
            Session.start(
                Fixtures.pack(), new StartOptions().journey("kiosk").learner("ក".repeat(65))));
    // The limit counts characters, not bytes: 64 Khmer characters (192 bytes) are a code.
    try (Session ok =
        Session.start(
            Fixtures.pack(), new StartOptions().journey("kiosk").learner("ក".repeat(64)))) {
      org.junit.Assert.assertNotNull(ok);
    }
    s.close();
    s.close(); // idempotent
    assertTrue(s.isClosed());
    KruException e = Fixtures.expect(KruException.INVALID_HANDLE, s::step);
    assertTrue(e.getMessage().contains("closed"));
    Fixtures.expect(KruException.INVALID_HANDLE, () -> s.answerChoice(0, 0));
    Fixtures.expect(KruException.INVALID_HANDLE, s::snapshot);
    // A long message comes through whole (the JNI layer asks again with a big enough buffer).
    KruException u =
        Fixtures.expect(
            KruException.UNKNOWN_JOURNEY,
            () ->
                Session.start(
                    Fixtures.pack(), new StartOptions().journey("ខ".repeat(300)).learner("L")));
    assertTrue(u.getMessage().length() > 300 && u.getMessage().contains("ខ".repeat(300)));
  }
}
