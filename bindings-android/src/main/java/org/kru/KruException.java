package org.kru;

import java.nio.charset.StandardCharsets;

/**
 * Every error of the kru library: the stable result code of the C library ({@link #code()},
 * e.g. {@link #ANSWER_OUT_OF_RANGE} = 203), its name ({@link #codeName()}, e.g. {@code
 * "KRU_ANSWER_OUT_OF_RANGE"}) and the library's message, which says what failed and where
 * (e.g. {@code "kru_session_answer_choice: answer to 'kiosk-check' is out of range: …"}).
 *
 * <p>The numbers are permanent (see docs/c-api.md, "Result codes"). Unchecked, so Kotlin and
 * Java callers catch it where they can do something about it.
 */
public final class KruException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An internal error (a panic) was caught at the boundary. */
  public static final int PANIC = 1;
  /** A required argument is null. */
  public static final int NULL_ARGUMENT = 2;
  /** A string argument is not valid UTF-8. */
  public static final int INVALID_UTF8 = 3;
  /** A buffer is too small. */
  public static final int INSUFFICIENT_SIZE = 4;
  /** An index or a length is out of range. */
  public static final int OUT_OF_RANGE = 5;
  /** A closed or foreign handle. */
  public static final int INVALID_HANDLE = 6;
  /** The accessor does not apply to the current step. */
  public static final int WRONG_STEP = 7;
  /** An argument has an invalid value (e.g. a public key that is not 32 bytes). */
  public static final int INVALID_ARGUMENT = 8;
  /** A public key is not a valid Ed25519 key. */
  public static final int INVALID_PUBLIC_KEY = 9;
  /** Pack: the bytes end before a field that must be there. */
  public static final int PACK_TRUNCATED = 100;
  /** Pack: not a kru pack. */
  public static final int PACK_BAD_MAGIC = 101;
  /** Pack: a format this engine does not read. */
  public static final int PACK_UNSUPPORTED_FORMAT = 102;
  /** Pack: unknown header flags. */
  public static final int PACK_UNKNOWN_FLAGS = 103;
  /** Pack: too large. */
  public static final int PACK_TOO_LARGE = 104;
  /** Pack: invalid pack id in the header. */
  public static final int PACK_BAD_ID = 105;
  /** Pack: checksum mismatch, the file is damaged. */
  public static final int PACK_CHECKSUM_MISMATCH = 106;
  /** Pack: bytes after the end. */
  public static final int PACK_TRAILING_BYTES = 107;
  /** Pack: the payload does not decode. */
  public static final int PACK_DECODE = 108;
  /** Pack: the header disagrees with the payload. */
  public static final int PACK_HEADER_MISMATCH = 109;
  /** Pack: needs a newer engine. */
  public static final int PACK_ENGINE_TOO_OLD = 110;
  /** Pack: the content breaks an invariant. */
  public static final int PACK_INVALID = 111;
  /** Pack: unsigned, and unsigned packs are not allowed. */
  public static final int PACK_UNSIGNED = 112;
  /** Pack: the signature block is malformed. */
  public static final int PACK_MALFORMED_SIGNATURE = 113;
  /** Pack: changed after signing. */
  public static final int PACK_SIGNATURE_MISMATCH = 114;
  /** Pack: signed by a key the app does not trust. */
  public static final int PACK_UNTRUSTED_SIGNER = 115;
  /** Pack: another pack error. */
  public static final int PACK_ERROR = 199;
  /** Session: no journey with that id. */
  public static final int UNKNOWN_JOURNEY = 200;
  /** Session: the learner code is empty, too long or has control characters. */
  public static final int BAD_LEARNER_CODE = 201;
  /** Session: the answer's type does not fit the question. */
  public static final int WRONG_ANSWER_TYPE = 202;
  /** Session: an answer index is out of range or repeated, or a list has the wrong length. */
  public static final int ANSWER_OUT_OF_RANGE = 203;
  /** Session: a text answer is too long. */
  public static final int ANSWER_TOO_LONG = 204;
  /** Session: the step takes no answer (advance). */
  public static final int NOT_ANSWERABLE = 205;
  /** Session: the step must be answered first. */
  public static final int ANSWER_REQUIRED = 206;
  /** Session: a required intake field left empty, or an intake text that is not printable. */
  public static final int INVALID_CHOICE = 207;
  /** Session: finished or abandoned already. */
  public static final int SESSION_ENDED = 208;
  /** Session: finish before the end of the journey (abandon instead). */
  public static final int NOT_FINISHED = 209;
  /** Session: a damaged, foreign or incompatible snapshot. */
  public static final int BAD_SNAPSHOT = 210;
  /** Session: the journey is complete; call {@link Session#finish}. */
  public static final int JOURNEY_COMPLETE = 211;
  /** Session: "I don't know" to a question that does not offer it. */
  public static final int DONT_KNOW_NOT_OFFERED = 212;
  /** Session: another session error (also: the engine's JSON did not read). */
  public static final int SESSION_ERROR = 299;
  /** Record: a result record does not decode. */
  public static final int RECORD_DECODE = 300;
  /** Record: a result record is too large. */
  public static final int RECORD_TOO_LARGE = 301;
  /** Record: a result record could not be encoded. */
  public static final int RECORD_ENCODE = 302;
  /** Record: another record or log error. */
  public static final int RECORD_ERROR = 399;
  /** Report: the cohort report could not be computed. */
  public static final int REPORT_ERROR = 400;
  /** Report: the {@code by} option names no intake field. */
  public static final int REPORT_UNKNOWN_FIELD = 401;

  private final int code;
  private final String codeName;

  /** An error with a result code and a message. */
  public KruException(int code, String message) {
    super(message);
    this.code = code;
    this.codeName = Native.resultName(code);
  }

  /** Called by the JNI layer: the message comes as UTF-8 bytes (Khmer names survive). */
  KruException(int code, byte[] messageUtf8) {
    this(code, new String(messageUtf8, StandardCharsets.UTF_8));
  }

  /** The C library's result number, e.g. 203. */
  public int code() {
    return code;
  }

  /** The result's name, e.g. {@code "KRU_ANSWER_OUT_OF_RANGE"}. */
  public String codeName() {
    return codeName;
  }

  @Override
  public String toString() {
    return "KruException[" + codeName + " (" + code + ")]: " + getMessage();
  }
}
