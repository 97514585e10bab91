package org.kru;

/** The type of answer a question takes ({@link Step.Question#expects}). */
public enum AnswerType {
  /** One option: {@link Answer#choice}. */
  CHOICE("choice"),
  /** Several options: {@link Answer#choices}. */
  CHOICES("choices"),
  /** True or false: {@link Answer#trueFalse}. */
  TRUE_FALSE("true-false"),
  /** The shown steps in order: {@link Answer#order}. */
  ORDER("order"),
  /** For each left entry, the shown right entry: {@link Answer#matches}. */
  MATCHES("matches"),
  /** Typed text or a number: {@link Answer#text}. */
  TEXT("text"),
  /** A point of a scale, 0 = lowest: {@link Answer#scale}. */
  SCALE("scale"),
  /**
   * "I don't know": {@link Answer#dontKnow}. Never a question's {@link Step.Question#expects};
   * offered where {@link Step.Question#dontKnow} is true.
   */
  DONT_KNOW("dont-know");

  /** The engine's name, e.g. {@code true-false}. */
  public final String wireName;

  AnswerType(String wireName) {
    this.wireName = wireName;
  }

  static AnswerType of(String name) {
    for (AnswerType t : values()) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    throw Json.shape("expects", "a known answer type", name);
  }
}
