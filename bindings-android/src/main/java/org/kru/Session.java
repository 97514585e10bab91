package org.kru;


/**
 * One learner going through one journey of a {@link Pack}: a deterministic state machine. Read
 * {@link #step()}, then {@link #answer} it or {@link #advance} past it, until a {@link
 * Step.Done} step; then {@link #finish} gives the {@link ResultRecord} to append to the results log.
 * {@link #snapshot()} saves it at any step; {@link #restore} continues it (after a power cut,
 * an activity restart).
 *
 * <p>Every method is synchronized: a session may be used from any thread, one call at a time.
 * Close it when done; a forgotten session is freed by a {@link java.lang.ref.Cleaner} (on
 * Android before API 33, the same mechanism on a phantom-reference queue). Errors are {@link
 * KruException}s; after an error the session is unchanged.
 */
public final class Session implements AutoCloseable {
  private final NativeHandle handle;
  private final Cleanup.Cleanable cleanable;

  private Session(long ptr) {
    handle = new NativeHandle(ptr, Native::sessionFree, "session");
    cleanable = Cleanup.INSTANCE.register(this, handle);
  }

  static void notNull(Object o, String what) {
    if (o == null) {
      throw new KruException(KruException.NULL_ARGUMENT, "argument `" + what + "` is null");
    }
  }

  /**
   * Starts a journey.
   *
   * @throws KruException {@code UNKNOWN_JOURNEY}, {@code BAD_LEARNER_CODE}, {@code
   *     NULL_ARGUMENT}
   */
  public static Session start(Pack pack, StartOptions options) {
    notNull(pack, "pack");
    notNull(options, "options");
    notNull(options.journey, "journey");
    notNull(options.learner, "learner");
    byte[] journey = Utf8.encode(options.journey);
    byte[] learner = Utf8.encode(options.learner);
    byte[][] languages = Utf8.encodeAll(options.languages, "languages");
    return new Session(
        pack.with(
            p -> Native.sessionStart(p, journey, languages, options.seed, learner, options.nowMs)));
  }

  /**
   * Restores a session saved with {@link #snapshot()} on the same pack (same id and version).
   *
   * @throws KruException {@code BAD_SNAPSHOT} for damaged, foreign or hostile bytes
   */
  public static Session restore(Pack pack, byte[] snapshot) {
    notNull(pack, "pack");
    notNull(snapshot, "snapshot");
    return new Session(pack.with(p -> Native.sessionRestore(p, snapshot)));
  }

  private interface Call<T> {
    T apply(long session);
  }

  private interface Action {
    void apply(long session);
  }

  private synchronized <T> T with(Call<T> call) {
    long s = handle.acquire();
    try {
      return call.apply(s);
    } finally {
      handle.release();
      Cleanup.fence(this);
    }
  }

  private void run(Action action) {
    with(
        s -> {
          action.apply(s);
          return null;
        });
  }

  /** The current step, with every text in the session's language. */
  public Step step() {
    return Step.parse(stepJson());
  }

  /**
   * The current step as the engine's JSON: the shape of the JS API's {@code Step} objects
   * (e.g. to hand to a WebView). {@link #step()} is built from the same JSON.
   */
  public String stepJson() {
    return Utf8.decode(with(Native::sessionStepJson));
  }

  /** The kind of the current step (cheaper than {@link #step()}). */
  public Step.Kind stepKind() {
    int k = with(Native::sessionStepKind);
    Step.Kind[] kinds = Step.Kind.values(); // kru_step_kind numbers 1..8, in this order
    if (k < 1 || k > kinds.length) {
      throw new KruException(KruException.SESSION_ERROR, "unknown step kind number " + k);
    }
    return kinds[k - 1];
  }

  /**
   * Answers the current step.
   *
   * @throws KruException {@code WRONG_ANSWER_TYPE}, {@code ANSWER_OUT_OF_RANGE}, {@code
   *     ANSWER_TOO_LONG}, {@code INVALID_CHOICE}, {@code NOT_ANSWERABLE} (advance instead),
   *     {@code JOURNEY_COMPLETE} (call finish), {@code SESSION_ENDED}, {@code
   *     DONT_KNOW_NOT_OFFERED}
   */
  public void answer(Answer answer, long nowMs) {
    notNull(answer, "answer");
    switch (answer.type) {
      case CHOICE:
        answerChoice(answer.index, nowMs);
        break;
      case CHOICES:
        answerChoices(answer.indexes, nowMs);
        break;
      case TRUE_FALSE:
        answerTrueFalse(answer.value, nowMs);
        break;
      case ORDER:
        answerOrder(answer.indexes, nowMs);
        break;
      case MATCHES:
        answerMatches(answer.indexes, nowMs);
        break;
      case TEXT:
        answerText(answer.text, nowMs);
        break;
      case SCALE:
        answerScale(answer.index, nowMs);
        break;
      case DONT_KNOW:
        answerDontKnow(nowMs);
        break;
    }
  }

  private static void indexes(int[] values, String what) {
    notNull(values, what);
    for (int v : values) {
      index(v, what);
    }
  }

  private static void index(int value, String what) {
    if (value < 0) {
      throw new KruException(
          KruException.ANSWER_OUT_OF_RANGE,
          "argument `" + what + "`: answer index " + value + " is negative (positions start at 0)");
    }
  }

  /** One option by shown position: a single-choice question, intake choice or story choice. */
  public void answerChoice(int index, long nowMs) {
    index(index, "choice");
    run(s -> Native.sessionAnswerChoice(s, index, nowMs));
  }

  /** The chosen options of a multiple-response question, in any order. */
  public void answerChoices(int[] indexes, long nowMs) {
    indexes(indexes, "choices");
    int[] copy = indexes.clone();
    run(s -> Native.sessionAnswerChoices(s, copy, nowMs));
  }

  /** True or false. */
  public void answerTrueFalse(boolean value, long nowMs) {
    run(s -> Native.sessionAnswerBool(s, value, nowMs));
  }

  /** The shown steps of an ordering question in the learner's order. */
  public void answerOrder(int[] order, long nowMs) {
    indexes(order, "order");
    int[] copy = order.clone();
    run(s -> Native.sessionAnswerOrder(s, copy, nowMs));
  }

  /** For each left entry of a matching question, the shown right entry. */
  public void answerMatches(int[] matches, long nowMs) {
    indexes(matches, "matches");
    int[] copy = matches.clone();
    run(s -> Native.sessionAnswerMatches(s, copy, nowMs));
  }

  /** Typed text: a short-text or numeric question (Khmer digits accepted), a free intake field. */
  public void answerText(String text, long nowMs) {
    notNull(text, "text");
    byte[] bytes = Utf8.encode(text);
    run(s -> Native.sessionAnswerText(s, bytes, nowMs));
  }

  /** A point of a Likert scale, 0 = lowest. */
  public void answerScale(int point, long nowMs) {
    index(point, "point");
    run(s -> Native.sessionAnswerScale(s, point, nowMs));
  }

  /**
   * "I don't know" to a knowledge question that offers it ({@link Step.Question#dontKnow}):
   * scored wrong, recorded and reported apart from a wrong answer.
   *
   * @throws KruException {@code DONT_KNOW_NOT_OFFERED} where the question does not offer it
   */
  public void answerDontKnow(long nowMs) {
    run(s -> Native.sessionAnswerDontKnow(s, nowMs));
  }

  /**
   * Moves past a page, feedback, a story consequence or ending, a phase summary, the card, or
   * an optional intake field (skipped).
   *
   * @throws KruException {@code ANSWER_REQUIRED}, {@code JOURNEY_COMPLETE} (call finish),
   *     {@code SESSION_ENDED}
   */
  public void advance(long nowMs) {
    run(s -> Native.sessionAdvance(s, nowMs));
  }

  /** The whole session as bytes, at any step (store them; see {@link #restore}). */
  public byte[] snapshot() {
    return with(Native::sessionSnapshot);
  }

  /**
   * Ends a completed journey (the step is {@link Step.Done}) and gives its record.
   *
   * @throws KruException {@code NOT_FINISHED} before the end (use {@link #abandon}), {@code
   *     SESSION_ENDED} the second time
   */
  public ResultRecord finish(long nowMs) {
    return ResultRecord.take(with(s -> Native.sessionFinish(s, nowMs)));
  }

  /** Ends the session early (a visitor walked away) and gives the partial record. */
  public ResultRecord abandon(long nowMs) {
    return ResultRecord.take(with(s -> Native.sessionAbandon(s, nowMs)));
  }

  /** Whether the session was finished or abandoned (false at the done step before finish). */
  public boolean isFinished() {
    return with(Native::sessionIsFinished);
  }

  /** Planned steps done and in all. */
  public Progress progress() {
    return new Progress(with(Native::sessionProgress));
  }

  /** Switches the language at any step (answers are kept): BCP 47 tags, best first. */
  public void setLanguages(String... languages) {
    notNull(languages, "languages");
    byte[][] tags = Utf8.encodeAll(java.util.Arrays.asList(languages), "languages");
    run(s -> Native.sessionSetLanguages(s, tags));
  }

  /** The tag of the language shown, e.g. {@code km}. */
  public String language() {
    return Utf8.decode(with(Native::sessionLanguage));
  }

  /** The journey id. */
  public String journey() {
    return Utf8.decode(with(Native::sessionInfo)[0]);
  }

  /** The learner code. */
  public String learner() {
    return Utf8.decode(with(Native::sessionInfo)[1]);
  }

  /** The seed. */
  public long seed() {
    return with(Native::sessionSeed);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return handle.isClosed();
  }

  /** Frees the session; a session closed before finish or abandon leaves no record. */
  @Override
  public void close() {
    cleanable.clean();
  }
}
