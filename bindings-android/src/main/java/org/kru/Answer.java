package org.kru;

import java.util.Arrays;

/**
 * An answer to give {@link Session#answer}. Indexes are positions as shown in the step
 * (0-based). Like the JS API's {@code Answer} union; {@link Session} also has one method per
 * type.
 */
public final class Answer {
  final AnswerType type;
  final int index;
  final int[] indexes;
  final boolean value;
  final String text;

  private Answer(AnswerType type, int index, int[] indexes, boolean value, String text) {
    this.type = type;
    this.index = index;
    this.indexes = indexes;
    this.value = value;
    this.text = text;
  }

  /** One option: a single-choice question, an intake choice or a story choice. */
  public static Answer choice(int index) {
    return new Answer(AnswerType.CHOICE, index, null, false, null);
  }

  /** The chosen options of a multiple-response question, in any order. */
  public static Answer choices(int... indexes) {
    Session.notNull(indexes, "choices");
    return new Answer(AnswerType.CHOICES, 0, indexes.clone(), false, null);
  }

  /** True or false. */
  public static Answer trueFalse(boolean value) {
    return new Answer(AnswerType.TRUE_FALSE, 0, null, value, null);
  }

  /** The shown steps of an ordering question in the learner's order (all, each once). */
  public static Answer order(int... indexes) {
    Session.notNull(indexes, "order");
    return new Answer(AnswerType.ORDER, 0, indexes.clone(), false, null);
  }

  /** For each left entry of a matching question, the shown right entry. */
  public static Answer matches(int... indexes) {
    Session.notNull(indexes, "matches");
    return new Answer(AnswerType.MATCHES, 0, indexes.clone(), false, null);
  }

  /** Typed text: short text, numeric (Khmer digits accepted), a free intake field. */
  public static Answer text(String text) {
    Session.notNull(text, "text");
    return new Answer(AnswerType.TEXT, 0, null, false, text);
  }

  /** A point of a Likert scale, 0 = lowest. */
  public static Answer scale(int point) {
    return new Answer(AnswerType.SCALE, point, null, false, null);
  }

  /** "I don't know", where the question offers it ({@link Step.Question#dontKnow}). */
  public static Answer dontKnow() {
    return new Answer(AnswerType.DONT_KNOW, 0, null, false, null);
  }

  /** The answer's type. */
  public AnswerType type() {
    return type;
  }

  @Override
  public String toString() {
    switch (type) {
      case CHOICE:
      case SCALE:
        return type.wireName + " " + index;
      case TRUE_FALSE:
        return type.wireName + " " + value;
      case TEXT:
        return type.wireName + " \"" + text + "\"";
      case DONT_KNOW:
        return type.wireName;
      default:
        return type.wireName + " " + Arrays.toString(indexes);
    }
  }
}
