package org.kru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The current step of a {@link Session}: one of the nested classes, like the JS API's {@code
 * Step} union. Switch on {@link #kind()} or on the class (Kotlin: {@code when (step) { is
 * Step.Question -> … }}). Every text is already in the session's language.
 */
public abstract class Step {
  /** The kinds of step, with the engine's names. */
  public enum Kind {
    INTAKE("intake"),
    PAGE("page"),
    STORY("story"),
    QUESTION("question"),
    FEEDBACK("feedback"),
    PHASE_SUMMARY("phase-summary"),
    CARD("card"),
    DONE("done");

    /** The engine's name, e.g. {@code phase-summary}. */
    public final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }
  }

  private Step() {}

  /** Which kind of step this is. */
  public abstract Kind kind();

  /** Builds the step from the engine's JSON (kru_session_step_json). */
  static Step parse(String json) {
    Map<String, Object> m = Json.obj(Json.parse(json), "step");
    String kind = Json.str(m, "kind");
    switch (kind) {
      case "intake":
        return new Intake(m);
      case "page":
        return new Page(m);
      case "story":
        return new Story(m);
      case "question":
        return new Question(m);
      case "feedback":
        return new Feedback(m);
      case "phase-summary":
        return new PhaseSummary(m);
      case "card":
        return new Card(m);
      case "done":
        return new Done(m);
      default:
        throw Json.shape("kind", "a known step kind", kind);
    }
  }

  /** An intake option: the code stored in results (e.g. {@code female}) and its label. */
  public static final class Option {
    public final String code;
    public final Label label;

    Option(String code, Label label) {
      this.code = code;
      this.label = label;
    }
  }

  /**
   * An intake (demographic) question: answer {@link Answer#choice} when it has options, {@link
   * Answer#text} when not; advance to skip it when it is not required.
   */
  public static final class Intake extends Step {
    /** The field id, e.g. {@code sex}. */
    public final String field;
    public final Label label;
    /** The options; empty for a text field. */
    public final List<Option> options;
    public final boolean required;

    Intake(Map<String, Object> m) {
      field = Json.str(m, "field");
      label = Label.of(m.get("label"), "label");
      List<Option> o = new ArrayList<>();
      for (Object pair : Json.list(m.get("options"), "options")) {
        List<Object> p = Json.list(pair, "options[]");
        if (p.size() != 2 || !(p.get(0) instanceof String)) {
          throw Json.shape("options[]", "a [code, label] pair", pair);
        }
        o.add(new Option((String) p.get(0), Label.of(p.get(1), "options[].label")));
      }
      options = Collections.unmodifiableList(o);
      required = Json.bool(m, "required");
    }

    @Override
    public Kind kind() {
      return Kind.INTAKE;
    }
  }

  /** A lesson page: advance. */
  public static final class Page extends Step {
    public final String phase;
    public final String lesson;
    public final Label title;
    /** 1-based page number within the lesson, and the number of pages. */
    public final int page, pages;
    public final List<Block> blocks;

    Page(Map<String, Object> m) {
      phase = Json.str(m, "phase");
      lesson = Json.str(m, "lesson");
      title = Label.of(m.get("title"), "title");
      page = (int) Json.lng(m, "page");
      pages = (int) Json.lng(m, "pages");
      List<Block> b = new ArrayList<>();
      for (Object o : Json.list(m.get("blocks"), "blocks")) {
        b.add(new Block(Json.obj(o, "blocks[]")));
      }
      blocks = Collections.unmodifiableList(b);
    }

    @Override
    public Kind kind() {
      return Kind.PAGE;
    }
  }

  /**
   * A story scene: answer {@link Answer#choice} when it has choices; advance while a
   * consequence shows and at an ending.
   */
  public static final class Story extends Step {
    public final String story;
    public final Label title;
    public final String node;
    public final Label text;
    /** A picture (media path) or null. */
    public final String image;
    /** The choices; empty while a consequence shows and at an ending. */
    public final List<Label> choices;
    /** While a consequence shows: the choice made and its consequence; else null. */
    public final Label chosen, consequence;
    /** At an ending: {@code safe}, {@code unsafe} or {@code neutral}; else null. */
    public final String ending;

    Story(Map<String, Object> m) {
      story = Json.str(m, "story");
      title = Label.of(m.get("title"), "title");
      node = Json.str(m, "node");
      text = Label.of(m.get("text"), "text");
      image = Json.optStr(m, "image");
      choices = Label.list(m.get("choices"), "choices");
      Object c = m.get("consequence");
      if (c == null) {
        chosen = null;
        consequence = null;
      } else {
        List<Object> p = Json.list(c, "consequence");
        if (p.size() != 2) {
          throw Json.shape("consequence", "a [choice, consequence] pair", c);
        }
        chosen = Label.of(p.get(0), "consequence[0]");
        consequence = Label.of(p.get(1), "consequence[1]");
      }
      ending = Json.optStr(m, "ending");
    }

    @Override
    public Kind kind() {
      return Kind.STORY;
    }
  }

  /** A question: answer with the type {@link #expects} names. */
  public static final class Question extends Step {
    public final String phase;
    /** {@code pre-test}, {@code practice}, {@code post-test} or {@code follow-up}. */
    public final String phaseKind;
    public final String item;
    /** {@code single}, {@code multiple}, {@code true-false}, {@code ordering}, … */
    public final String itemKind;
    public final AnswerType expects;
    /** 1-based number within the phase, and the number of questions in it. */
    public final int number, total;
    public final Label prompt;
    /** Options, steps, right-hand matching entries or scale points, in shown order. */
    public final List<Label> options;
    /** Left-hand entries (matching items only). */
    public final List<Label> left;
    /** Whether to offer "I don't know" ({@link Answer#dontKnow}) as a secondary choice. */
    public final boolean dontKnow;

    Question(Map<String, Object> m) {
      phase = Json.str(m, "phase");
      phaseKind = Json.str(m, "phase_kind");
      item = Json.str(m, "item");
      itemKind = Json.str(m, "item_kind");
      expects = AnswerType.of(Json.str(m, "expects"));
      number = (int) Json.lng(m, "number");
      total = (int) Json.lng(m, "total");
      prompt = Label.of(m.get("prompt"), "prompt");
      options = Label.list(m.get("options"), "options");
      left = Label.list(m.get("left"), "left");
      dontKnow = Json.bool(m, "dont_know");
    }

    @Override
    public Kind kind() {
      return Kind.QUESTION;
    }
  }

  /** Feedback on the last answer, or one answer of an end-of-phase review: advance. */
  public static final class Feedback extends Step {
    public final String item;
    /** The item's kind, as in {@link Question}. */
    public final String itemKind;
    /** The question that was asked. */
    public final Label prompt;
    /** In the review at the end of an after-phase quiz: 1-based place in it; 0 right after an answer. */
    public final int reviewNumber;
    /** Answers in the end-of-phase review; 0 right after an answer. */
    public final int reviewTotal;
    /** Whether it earned full credit. */
    public final boolean correct;
    /** Points earned, 0 to 1. */
    public final double credit;
    public final Label message;
    public final Label explanation;
    /** The right answer as text entries. */
    public final List<Label> rightAnswer;
    /** For a true/false item, the right value; else null. */
    public final Boolean rightBool;
    /** The learner answered "I don't know" ({@link #correct} is false). */
    public final boolean dontKnow;

    Feedback(Map<String, Object> m) {
      item = Json.str(m, "item");
      itemKind = Json.str(m, "item_kind");
      prompt = Label.of(m.get("prompt"), "prompt");
      Object review = m.get("review");
      if (review instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) review;
        reviewNumber = (int) Json.lng(r, "number");
        reviewTotal = (int) Json.lng(r, "total");
      } else {
        reviewNumber = 0;
        reviewTotal = 0;
      }
      correct = Json.bool(m, "correct");
      credit = Json.dbl(m, "credit");
      message = Label.of(m.get("message"), "message");
      explanation = Label.of(m.get("explanation"), "explanation");
      rightAnswer = Label.list(m.get("right_answer"), "right_answer");
      rightBool = m.get("right_bool") == null ? null : Json.bool(m, "right_bool");
      dontKnow = Json.bool(m, "dont_know");
    }

    @Override
    public Kind kind() {
      return Kind.FEEDBACK;
    }
  }

  /** The score of a quiz phase just ended: advance. */
  public static final class PhaseSummary extends Step {
    public final String phase;
    public final String phaseKind;
    public final Label title;
    /** Points earned and scored questions. */
    public final double score, max;
    /** Questions with full credit. */
    public final int correct;

    PhaseSummary(Map<String, Object> m) {
      phase = Json.str(m, "phase");
      phaseKind = Json.str(m, "phase_kind");
      title = Label.of(m.get("title"), "title");
      score = Json.dbl(m, "score");
      max = Json.dbl(m, "max");
      correct = (int) Json.lng(m, "correct");
    }

    @Override
    public Kind kind() {
      return Kind.PHASE_SUMMARY;
    }
  }

  /** A key message of the card. */
  public static final class KeyMessage {
    public final String objective;
    public final Label title;
    public final Label summary;

    KeyMessage(String objective, Label title, Label summary) {
      this.objective = objective;
      this.title = title;
      this.summary = summary;
    }
  }

  /** The take-home reference card: advance. */
  public static final class Card extends Step {
    public final Label title;
    public final List<KeyMessage> messages;
    public final List<Resource> resources;
    public final Label footer;

    Card(Map<String, Object> m) {
      title = Label.of(m.get("title"), "title");
      List<KeyMessage> k = new ArrayList<>();
      for (Object t : Json.list(m.get("messages"), "messages")) {
        List<Object> p = Json.list(t, "messages[]");
        if (p.size() != 3 || !(p.get(0) instanceof String)) {
          throw Json.shape("messages[]", "an [objective, title, summary] triple", t);
        }
        k.add(
            new KeyMessage(
                (String) p.get(0),
                Label.of(p.get(1), "messages[].title"),
                Label.of(p.get(2), "messages[].summary")));
      }
      messages = Collections.unmodifiableList(k);
      List<Resource> r = new ArrayList<>();
      for (Object o : Json.list(m.get("resources"), "resources")) {
        r.add(new Resource(Json.obj(o, "resources[]")));
      }
      resources = Collections.unmodifiableList(r);
      footer = Label.of(m.get("footer"), "footer");
    }

    @Override
    public Kind kind() {
      return Kind.CARD;
    }
  }

  /** The end of the journey: call {@link Session#finish}. */
  public static final class Done extends Step {
    /** The learner's own pre-test, post-test and gain (fields absent as in {@link Scores}). */
    public final Scores scores;

    Done(Map<String, Object> m) {
      scores = Scores.fromJson(m);
    }

    @Override
    public Kind kind() {
      return Kind.DONE;
    }
  }
}
