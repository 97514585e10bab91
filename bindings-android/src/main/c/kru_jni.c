/*
 * kru_jni.c: the JNI layer of the Android (and desktop JVM) binding of kru, over kru.h.
 *
 * One JNI function per C call that org.kru.Native declares. Conventions:
 * - Handles are the C pointers as jlong; the Java side owns them (AutoCloseable + Cleaner) and
 *   never passes 0 or a freed handle (the C library would still refuse it with a code).
 * - Strings go both ways as UTF-8 byte[]: kru strings are (pointer, length), not
 *   NUL-terminated, and JNI's "modified UTF-8" (NewStringUTF, GetStringUTFChars) encodes NUL
 *   and characters outside the BMP differently from UTF-8. Java decodes with
 *   new String(bytes, UTF_8) and encodes with getBytes(UTF_8).
 * - Every failed kru call throws org.kru.KruException(code, message bytes) with the C result
 *   code and kru_last_error_message(); every JNI call that can throw is checked, and nothing
 *   else is called while an exception is pending (clean under java -Xcheck:jni).
 * - Memory: everything the library hands out (kru_bytes, kru_record, kru_log) is freed here on
 *   every path; Java arrays are released with JNI_ABORT (never written back).
 *
 * Built by CMakeLists.txt for the Android NDK ABIs and by `cargo xtask test jvm` for the host,
 * with -Wall -Wextra -Werror, linking libkru.a.
 */
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kru.h"

static jclass g_exception_class;  /* org.kru.KruException (global ref) */
static jmethodID g_exception_ctor; /* KruException(int, byte[]) */
static jclass g_byte_array_class; /* byte[] (global ref) */

#define KRU_JNI_CLASS "org/kru/KruException"

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env;
  if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK) return JNI_ERR;
  jclass c = (*env)->FindClass(env, KRU_JNI_CLASS);
  if (c == NULL) return JNI_ERR;
  g_exception_class = (jclass)(*env)->NewGlobalRef(env, c);
  (*env)->DeleteLocalRef(env, c);
  if (g_exception_class == NULL) return JNI_ERR;
  g_exception_ctor = (*env)->GetMethodID(env, g_exception_class, "<init>", "(I[B)V");
  if (g_exception_ctor == NULL) return JNI_ERR;
  jclass b = (*env)->FindClass(env, "[B");
  if (b == NULL) return JNI_ERR;
  g_byte_array_class = (jclass)(*env)->NewGlobalRef(env, b);
  (*env)->DeleteLocalRef(env, b);
  if (g_byte_array_class == NULL) return JNI_ERR;
  return JNI_VERSION_1_6;
}

JNIEXPORT void JNICALL JNI_OnUnload(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env;
  if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK) return;
  (*env)->DeleteGlobalRef(env, g_exception_class);
  (*env)->DeleteGlobalRef(env, g_byte_array_class);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                       */

/* Throws KruException(code, message): `message` is UTF-8 of `len` bytes. */
static void throw_message(JNIEnv *env, kru_result code, const char *message, size_t len) {
  if ((*env)->ExceptionCheck(env)) return;
  if (len > (size_t)INT32_MAX) len = 0;
  jbyteArray bytes = (*env)->NewByteArray(env, (jsize)len);
  if (bytes == NULL) return; /* OutOfMemoryError pending */
  (*env)->SetByteArrayRegion(env, bytes, 0, (jsize)len, (const jbyte *)message);
  if ((*env)->ExceptionCheck(env)) return;
  jobject e = (*env)->NewObject(env, g_exception_class, g_exception_ctor, (jint)code, bytes);
  (*env)->DeleteLocalRef(env, bytes);
  if (e == NULL) return;
  (*env)->Throw(env, (jthrowable)e);
  (*env)->DeleteLocalRef(env, e);
}

/* Throws the KruException of a failed kru call: its code and this thread's last message. */
static void throw_result(JNIEnv *env, kru_result r) {
  char small[512];
  size_t n = 0;
  kru_result m = kru_last_error_message(small, sizeof small, &n);
  if (m == KRU_OK) {
    throw_message(env, r, small, n);
    return;
  }
  if (m == KRU_INSUFFICIENT_SIZE) {
    char *big = malloc(n + 1);
    size_t n2 = 0;
    if (big != NULL && kru_last_error_message(big, n + 1, &n2) == KRU_OK) {
      throw_message(env, r, big, n2);
    } else {
      throw_message(env, r, small, strlen(small)); /* the truncated message */
    }
    free(big);
    return;
  }
  const char *fallback = kru_result_message(r);
  throw_message(env, r, fallback, strlen(fallback));
}

/* Checks a kru call: returns 1 on success, else throws and returns 0. */
static int ok(JNIEnv *env, kru_result r) {
  if (r == KRU_OK) return 1;
  throw_result(env, r);
  return 0;
}

/* A failure found by this layer (a null array from Java). */
static void throw_null(JNIEnv *env, const char *what) {
  char msg[160];
  int n = snprintf(msg, sizeof msg, "kru_jni: argument `%s` is null", what);
  throw_message(env, KRU_NULL_ARGUMENT, msg, n > 0 ? (size_t)n : 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Arrays in and out                                                                            */

/* A Java byte[] borrowed as bytes; release with in_release(). */
typedef struct {
  jbyteArray array;
  jbyte *data;
  size_t len;
} in_bytes;

/* Borrows `array` (may be null when `nullable`: then an empty view). Returns 0 with an
 * exception pending on failure. */
static int in_get(JNIEnv *env, jbyteArray array, const char *what, int nullable, in_bytes *out) {
  out->array = array;
  out->data = NULL;
  out->len = 0;
  if (array == NULL) {
    if (nullable) return 1;
    throw_null(env, what);
    return 0;
  }
  jsize n = (*env)->GetArrayLength(env, array);
  if (n == 0) return 1;
  out->data = (*env)->GetByteArrayElements(env, array, NULL);
  if (out->data == NULL) return 0; /* OutOfMemoryError pending */
  out->len = (size_t)n;
  return 1;
}

static void in_release(JNIEnv *env, in_bytes *b) {
  if (b->data != NULL) (*env)->ReleaseByteArrayElements(env, b->array, b->data, JNI_ABORT);
  b->data = NULL;
}

/* A new byte[] with a copy of `len` bytes, or NULL with an exception pending. */
static jbyteArray new_bytes(JNIEnv *env, const void *data, size_t len) {
  if (len > (size_t)INT32_MAX) {
    const char *m = "kru_jni: more than 2 GiB of bytes cannot become a Java array";
    throw_message(env, KRU_OUT_OF_RANGE, m, strlen(m));
    return NULL;
  }
  jbyteArray a = (*env)->NewByteArray(env, (jsize)len);
  if (a == NULL) return NULL;
  if (len > 0) {
    (*env)->SetByteArrayRegion(env, a, 0, (jsize)len, (const jbyte *)data);
    if ((*env)->ExceptionCheck(env)) {
      (*env)->DeleteLocalRef(env, a);
      return NULL;
    }
  }
  return a;
}

/* A kru_str as byte[]; an absent string (data == NULL) gives null without an exception. */
static jbyteArray str_bytes(JNIEnv *env, kru_str s) {
  if (s.data == NULL) return NULL;
  return new_bytes(env, s.data, s.len);
}

/* The contents of a kru_bytes as byte[], freeing the kru_bytes on every path. */
static jbyteArray take_bytes(JNIEnv *env, kru_bytes *b) {
  kru_slice v;
  jbyteArray a = NULL;
  if (ok(env, kru_bytes_data(b, &v))) a = new_bytes(env, v.data, v.len);
  kru_bytes_free(b);
  return a;
}

/* A byte[][] of `n` kru_str (absent strings become null entries). */
static jobjectArray str_array(JNIEnv *env, const kru_str *items, size_t n) {
  jobjectArray out = (*env)->NewObjectArray(env, (jsize)n, g_byte_array_class, NULL);
  if (out == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    if (items[i].data == NULL) continue;
    jbyteArray a = str_bytes(env, items[i]);
    if (a == NULL) {
      (*env)->DeleteLocalRef(env, out);
      return NULL;
    }
    (*env)->SetObjectArrayElement(env, out, (jsize)i, a);
    (*env)->DeleteLocalRef(env, a);
    if ((*env)->ExceptionCheck(env)) {
      (*env)->DeleteLocalRef(env, out);
      return NULL;
    }
  }
  return out;
}

/* A Java int[] as uint32_t (the answer indexes of kru.h; Java refuses negatives before). */
static uint32_t *ints_in(JNIEnv *env, jintArray array, const char *what, size_t *len) {
  *len = 0;
  if (array == NULL) {
    throw_null(env, what);
    return NULL;
  }
  jsize n = (*env)->GetArrayLength(env, array);
  uint32_t *out = malloc(n > 0 ? (size_t)n * sizeof *out : 1);
  if (out == NULL) {
    const char *m = "kru_jni: out of memory";
    throw_message(env, KRU_PANIC, m, strlen(m));
    return NULL;
  }
  if (n > 0) {
    jint *tmp = malloc((size_t)n * sizeof *tmp);
    if (tmp == NULL) {
      free(out);
      const char *m = "kru_jni: out of memory";
      throw_message(env, KRU_PANIC, m, strlen(m));
      return NULL;
    }
    (*env)->GetIntArrayRegion(env, array, 0, n, tmp);
    if ((*env)->ExceptionCheck(env)) {
      free(tmp);
      free(out);
      return NULL;
    }
    for (jsize i = 0; i < n; i++) out[i] = (uint32_t)tmp[i];
    free(tmp);
  }
  *len = (size_t)n;
  return out;
}

/* A Java byte[][] of UTF-8 strings as kru_str views; release with strs_release(). */
typedef struct {
  jobjectArray array;
  size_t count;
  in_bytes *items;
  kru_str *strs;
} in_strs;

static void strs_release(JNIEnv *env, in_strs *s) {
  for (size_t i = 0; i < s->count; i++) {
    if (s->items[i].array != NULL) {
      in_release(env, &s->items[i]);
      (*env)->DeleteLocalRef(env, s->items[i].array);
    }
  }
  free(s->items);
  free(s->strs);
  s->items = NULL;
  s->strs = NULL;
  s->count = 0;
}

static int strs_get(JNIEnv *env, jobjectArray array, const char *what, in_strs *out) {
  memset(out, 0, sizeof *out);
  out->array = array;
  if (array == NULL) return 1; /* no list: empty */
  jsize n = (*env)->GetArrayLength(env, array);
  if (n == 0) return 1;
  /* Each element stays a live local reference until strs_release(). */
  if ((*env)->EnsureLocalCapacity(env, n + 16) != 0) return 0;
  out->items = calloc((size_t)n, sizeof *out->items);
  out->strs = calloc((size_t)n, sizeof *out->strs);
  if (out->items == NULL || out->strs == NULL) {
    strs_release(env, out);
    const char *m = "kru_jni: out of memory";
    throw_message(env, KRU_PANIC, m, strlen(m));
    return 0;
  }
  for (jsize i = 0; i < n; i++) {
    jbyteArray a = (jbyteArray)(*env)->GetObjectArrayElement(env, array, i);
    if ((*env)->ExceptionCheck(env)) {
      strs_release(env, out);
      return 0;
    }
    out->count = (size_t)i + 1;
    if (!in_get(env, a, what, 0, &out->items[i])) {
      if (a != NULL) (*env)->DeleteLocalRef(env, a);
      out->items[i].array = NULL;
      strs_release(env, out);
      return 0;
    }
    out->strs[i].data = out->items[i].len > 0 ? (const char *)out->items[i].data : "";
    out->strs[i].len = out->items[i].len;
  }
  return 1;
}

#define H(type, h) ((type *)(intptr_t)(h))
#define J(p) ((jlong)(intptr_t)(p))
#define FN(name) JNICALL Java_org_kru_Native_##name

/* ------------------------------------------------------------------------------------------ */
/* Versions and errors                                                                          */

JNIEXPORT jstring FN(version)(JNIEnv *env, jclass c) {
  (void)c;
  return (*env)->NewStringUTF(env, kru_version()); /* ASCII: modified UTF-8 is the same */
}

JNIEXPORT jint FN(abiVersion)(JNIEnv *env, jclass c) {
  (void)env;
  (void)c;
  return (jint)kru_abi_version();
}

JNIEXPORT jstring FN(resultName)(JNIEnv *env, jclass c, jint code) {
  (void)c;
  return (*env)->NewStringUTF(env, kru_result_name((uint32_t)code)); /* ASCII */
}

/* ------------------------------------------------------------------------------------------ */
/* Trust and packs                                                                              */

JNIEXPORT jlong FN(trustNew)(JNIEnv *env, jclass c) {
  (void)c;
  kru_trust *t = NULL;
  return ok(env, kru_trust_new(&t)) ? J(t) : 0;
}

JNIEXPORT void FN(trustAddKey)(JNIEnv *env, jclass c, jlong trust, jbyteArray key) {
  (void)c;
  in_bytes k;
  if (!in_get(env, key, "key", 0, &k)) return;
  kru_result r = kru_trust_add_key(H(kru_trust, trust), (const uint8_t *)k.data, k.len);
  in_release(env, &k);
  ok(env, r);
}

JNIEXPORT void FN(trustAddKeyHex)(JNIEnv *env, jclass c, jlong trust, jbyteArray hex) {
  (void)c;
  in_bytes k;
  if (!in_get(env, hex, "hex", 0, &k)) return;
  kru_result r = kru_trust_add_key_hex(H(kru_trust, trust), (const char *)k.data, k.len);
  in_release(env, &k);
  ok(env, r);
}

JNIEXPORT void FN(trustAllowUnsigned)(JNIEnv *env, jclass c, jlong trust) {
  (void)c;
  ok(env, kru_trust_allow_unsigned(H(kru_trust, trust)));
}

JNIEXPORT void FN(trustFree)(JNIEnv *env, jclass c, jlong trust) {
  (void)env;
  (void)c;
  kru_trust_free(H(kru_trust, trust));
}

JNIEXPORT jlong FN(packLoad)(JNIEnv *env, jclass c, jlong trust, jbyteArray bytes) {
  (void)c;
  in_bytes b;
  if (!in_get(env, bytes, "bytes", 0, &b)) return 0;
  kru_pack *p = NULL;
  kru_result r = kru_pack_load(H(kru_trust, trust), (const uint8_t *)b.data, b.len, &p);
  in_release(env, &b);
  return ok(env, r) ? J(p) : 0;
}

JNIEXPORT void FN(packFree)(JNIEnv *env, jclass c, jlong pack) {
  (void)env;
  (void)c;
  kru_pack_free(H(kru_pack, pack));
}

JNIEXPORT jbyteArray FN(packId)(JNIEnv *env, jclass c, jlong pack) {
  (void)c;
  kru_str id;
  return ok(env, kru_pack_id(H(kru_pack, pack), &id)) ? str_bytes(env, id) : NULL;
}

JNIEXPORT jintArray FN(packVersion)(JNIEnv *env, jclass c, jlong pack) {
  (void)c;
  uint16_t v[3];
  if (!ok(env, kru_pack_version(H(kru_pack, pack), &v[0], &v[1], &v[2]))) return NULL;
  jint out[3] = {v[0], v[1], v[2]};
  jintArray a = (*env)->NewIntArray(env, 3);
  if (a == NULL) return NULL;
  (*env)->SetIntArrayRegion(env, a, 0, 3, out);
  return (*env)->ExceptionCheck(env) ? NULL : a;
}

JNIEXPORT jint FN(packLanguageCount)(JNIEnv *env, jclass c, jlong pack) {
  (void)c;
  size_t n = 0;
  return ok(env, kru_pack_language_count(H(kru_pack, pack), &n)) ? (jint)n : 0;
}

JNIEXPORT jint FN(packDefaultLanguage)(JNIEnv *env, jclass c, jlong pack) {
  (void)c;
  size_t n = 0;
  return ok(env, kru_pack_default_language(H(kru_pack, pack), &n)) ? (jint)n : 0;
}

JNIEXPORT jobjectArray FN(packLanguage)(JNIEnv *env, jclass c, jlong pack, jint index) {
  (void)c;
  kru_str s[3];
  bool reviewed = false;
  if (index < 0) {
    const char *m = "kru_jni: language index is negative";
    throw_message(env, KRU_OUT_OF_RANGE, m, strlen(m));
    return NULL;
  }
  if (!ok(env, kru_pack_language(H(kru_pack, pack), (size_t)index, &s[0], &s[1], &reviewed)))
    return NULL;
  s[2].data = reviewed ? "\1" : "\0";
  s[2].len = 1;
  return str_array(env, s, 3);
}

JNIEXPORT jint FN(packJourneyCount)(JNIEnv *env, jclass c, jlong pack) {
  (void)c;
  size_t n = 0;
  return ok(env, kru_pack_journey_count(H(kru_pack, pack), &n)) ? (jint)n : 0;
}

JNIEXPORT jobjectArray FN(packJourney)(JNIEnv *env, jclass c, jlong pack, jint index,
                                       jint language) {
  (void)c;
  kru_str s[2];
  kru_label title;
  if (index < 0 || language < 0) {
    const char *m = "kru_jni: journey or language index is negative";
    throw_message(env, KRU_OUT_OF_RANGE, m, strlen(m));
    return NULL;
  }
  if (!ok(env, kru_pack_journey(H(kru_pack, pack), (size_t)index, (size_t)language, &s[0], &title)))
    return NULL;
  s[1] = title.text;
  return str_array(env, s, 2);
}

JNIEXPORT jobjectArray FN(packTitle)(JNIEnv *env, jclass c, jlong pack, jint language) {
  (void)c;
  kru_label t, d;
  if (language < 0) {
    const char *m = "kru_jni: language index is negative";
    throw_message(env, KRU_OUT_OF_RANGE, m, strlen(m));
    return NULL;
  }
  if (!ok(env, kru_pack_title(H(kru_pack, pack), (size_t)language, &t))) return NULL;
  if (!ok(env, kru_pack_description(H(kru_pack, pack), (size_t)language, &d))) return NULL;
  kru_str s[2] = {t.text, d.text};
  return str_array(env, s, 2);
}

JNIEXPORT jbyteArray FN(reportJson)(JNIEnv *env, jclass c, jlong pack, jbyteArray log,
                                    jbyteArray options) {
  (void)c;
  in_bytes l, o;
  if (!in_get(env, log, "log", 0, &l)) return NULL;
  if (!in_get(env, options, "options", 1, &o)) {
    in_release(env, &l);
    return NULL;
  }
  kru_bytes *json = NULL;
  kru_result r = kru_report_json(H(kru_pack, pack), (const uint8_t *)l.data, l.len,
                                 (const char *)o.data, o.len, &json);
  in_release(env, &o);
  in_release(env, &l);
  return ok(env, r) ? take_bytes(env, json) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Sessions                                                                                     */

JNIEXPORT jlong FN(sessionStart)(JNIEnv *env, jclass c, jlong pack, jbyteArray journey,
                                 jobjectArray languages, jlong seed, jbyteArray learner,
                                 jlong now) {
  (void)c;
  in_bytes j, l;
  in_strs langs;
  if (!in_get(env, journey, "journey", 0, &j)) return 0;
  if (!in_get(env, learner, "learner", 0, &l)) {
    in_release(env, &j);
    return 0;
  }
  if (!strs_get(env, languages, "languages[]", &langs)) {
    in_release(env, &l);
    in_release(env, &j);
    return 0;
  }
  kru_session *s = NULL;
  kru_result r = kru_session_start(H(kru_pack, pack), (const char *)j.data, j.len, langs.strs,
                                   langs.count, (uint64_t)seed, (const char *)l.data, l.len,
                                   (int64_t)now, &s);
  strs_release(env, &langs);
  in_release(env, &l);
  in_release(env, &j);
  return ok(env, r) ? J(s) : 0;
}

JNIEXPORT jlong FN(sessionRestore)(JNIEnv *env, jclass c, jlong pack, jbyteArray snapshot) {
  (void)c;
  in_bytes b;
  if (!in_get(env, snapshot, "snapshot", 0, &b)) return 0;
  kru_session *s = NULL;
  kru_result r = kru_session_restore(H(kru_pack, pack), (const uint8_t *)b.data, b.len, &s);
  in_release(env, &b);
  return ok(env, r) ? J(s) : 0;
}

JNIEXPORT void FN(sessionFree)(JNIEnv *env, jclass c, jlong session) {
  (void)env;
  (void)c;
  kru_session_free(H(kru_session, session));
}

JNIEXPORT jbyteArray FN(sessionSnapshot)(JNIEnv *env, jclass c, jlong session) {
  (void)c;
  kru_bytes *b = NULL;
  return ok(env, kru_session_snapshot(H(kru_session, session), &b)) ? take_bytes(env, b) : NULL;
}

JNIEXPORT jint FN(sessionStepKind)(JNIEnv *env, jclass c, jlong session) {
  (void)c;
  kru_step_kind k = 0;
  return ok(env, kru_session_step_kind(H(kru_session, session), &k)) ? (jint)k : 0;
}

JNIEXPORT jbyteArray FN(sessionStepJson)(JNIEnv *env, jclass c, jlong session) {
  (void)c;
  kru_bytes *b = NULL;
  return ok(env, kru_session_step_json(H(kru_session, session), &b)) ? take_bytes(env, b) : NULL;
}

JNIEXPORT void FN(sessionAnswerChoice)(JNIEnv *env, jclass c, jlong session, jint choice,
                                       jlong now) {
  (void)c;
  ok(env, kru_session_answer_choice(H(kru_session, session), (uint32_t)choice, (int64_t)now));
}

typedef kru_result (*list_answer_fn)(kru_session *, const uint32_t *, size_t, int64_t);

static void answer_list(JNIEnv *env, list_answer_fn f, jlong session, jintArray list,
                        const char *what, jlong now) {
  size_t n = 0;
  uint32_t *v = ints_in(env, list, what, &n);
  if (v == NULL) return;
  kru_result r = f(H(kru_session, session), v, n, (int64_t)now);
  free(v);
  ok(env, r);
}

JNIEXPORT void FN(sessionAnswerChoices)(JNIEnv *env, jclass c, jlong session, jintArray choices,
                                        jlong now) {
  (void)c;
  answer_list(env, kru_session_answer_choices, session, choices, "choices", now);
}

JNIEXPORT void FN(sessionAnswerBool)(JNIEnv *env, jclass c, jlong session, jboolean value,
                                     jlong now) {
  (void)c;
  ok(env, kru_session_answer_bool(H(kru_session, session), value == JNI_TRUE, (int64_t)now));
}

JNIEXPORT void FN(sessionAnswerOrder)(JNIEnv *env, jclass c, jlong session, jintArray order,
                                      jlong now) {
  (void)c;
  answer_list(env, kru_session_answer_order, session, order, "order", now);
}

JNIEXPORT void FN(sessionAnswerMatches)(JNIEnv *env, jclass c, jlong session, jintArray matches,
                                        jlong now) {
  (void)c;
  answer_list(env, kru_session_answer_matches, session, matches, "matches", now);
}

JNIEXPORT void FN(sessionAnswerText)(JNIEnv *env, jclass c, jlong session, jbyteArray text,
                                     jlong now) {
  (void)c;
  in_bytes t;
  if (!in_get(env, text, "text", 0, &t)) return;
  kru_result r =
      kru_session_answer_text(H(kru_session, session), (const char *)t.data, t.len, (int64_t)now);
  in_release(env, &t);
  ok(env, r);
}

JNIEXPORT void FN(sessionAnswerScale)(JNIEnv *env, jclass c, jlong session, jint point,
                                      jlong now) {
  (void)c;
  ok(env, kru_session_answer_scale(H(kru_session, session), (uint32_t)point, (int64_t)now));
}

JNIEXPORT void FN(sessionAnswerDontKnow)(JNIEnv *env, jclass c, jlong session, jlong now) {
  (void)c;
  ok(env, kru_session_answer_dont_know(H(kru_session, session), (int64_t)now));
}

JNIEXPORT void FN(sessionAdvance)(JNIEnv *env, jclass c, jlong session, jlong now) {
  (void)c;
  ok(env, kru_session_advance(H(kru_session, session), (int64_t)now));
}

JNIEXPORT jlong FN(sessionFinish)(JNIEnv *env, jclass c, jlong session, jlong now) {
  (void)c;
  kru_record *rec = NULL;
  return ok(env, kru_session_finish(H(kru_session, session), (int64_t)now, &rec)) ? J(rec) : 0;
}

JNIEXPORT jlong FN(sessionAbandon)(JNIEnv *env, jclass c, jlong session, jlong now) {
  (void)c;
  kru_record *rec = NULL;
  return ok(env, kru_session_abandon(H(kru_session, session), (int64_t)now, &rec)) ? J(rec) : 0;
}

JNIEXPORT jboolean FN(sessionIsFinished)(JNIEnv *env, jclass c, jlong session) {
  (void)c;
  bool f = false;
  return ok(env, kru_session_is_finished(H(kru_session, session), &f)) && f ? JNI_TRUE
                                                                            : JNI_FALSE;
}

static jlongArray long_array(JNIEnv *env, const jlong *v, jsize n) {
  jlongArray a = (*env)->NewLongArray(env, n);
  if (a == NULL) return NULL;
  (*env)->SetLongArrayRegion(env, a, 0, n, v);
  return (*env)->ExceptionCheck(env) ? NULL : a;
}

JNIEXPORT jlongArray FN(sessionProgress)(JNIEnv *env, jclass c, jlong session) {
  (void)c;
  size_t done = 0, total = 0;
  bool at_end = false;
  if (!ok(env, kru_session_progress(H(kru_session, session), &done, &total, &at_end))) return NULL;
  jlong v[3] = {(jlong)done, (jlong)total, at_end ? 1 : 0};
  return long_array(env, v, 3);
}

JNIEXPORT void FN(sessionSetLanguages)(JNIEnv *env, jclass c, jlong session,
                                       jobjectArray languages) {
  (void)c;
  in_strs langs;
  if (!strs_get(env, languages, "languages[]", &langs)) return;
  kru_result r = kru_session_set_languages(H(kru_session, session), langs.strs, langs.count);
  strs_release(env, &langs);
  ok(env, r);
}

JNIEXPORT jbyteArray FN(sessionLanguage)(JNIEnv *env, jclass c, jlong session) {
  (void)c;
  kru_str tag;
  return ok(env, kru_session_language(H(kru_session, session), &tag)) ? str_bytes(env, tag) : NULL;
}

JNIEXPORT jobjectArray FN(sessionInfo)(JNIEnv *env, jclass c, jlong session) {
  (void)c;
  kru_str s[2];
  if (!ok(env, kru_session_info(H(kru_session, session), &s[0], &s[1], NULL))) return NULL;
  return str_array(env, s, 2);
}

JNIEXPORT jlong FN(sessionSeed)(JNIEnv *env, jclass c, jlong session) {
  (void)c;
  uint64_t seed = 0;
  return ok(env, kru_session_info(H(kru_session, session), NULL, NULL, &seed)) ? (jlong)seed : 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Records and logs                                                                             */

JNIEXPORT void FN(recordFree)(JNIEnv *env, jclass c, jlong record) {
  (void)env;
  (void)c;
  kru_record_free(H(kru_record, record));
}

JNIEXPORT jbyteArray FN(recordLogFrame)(JNIEnv *env, jclass c, jlong record) {
  (void)c;
  kru_bytes *b = NULL;
  return ok(env, kru_record_log_frame(H(kru_record, record), &b)) ? take_bytes(env, b) : NULL;
}

JNIEXPORT jbyteArray FN(recordJson)(JNIEnv *env, jclass c, jlong record) {
  (void)c;
  kru_bytes *b = NULL;
  return ok(env, kru_record_json(H(kru_record, record), &b)) ? take_bytes(env, b) : NULL;
}

JNIEXPORT jdoubleArray FN(recordScores)(JNIEnv *env, jclass c, jlong record) {
  (void)c;
  kru_scores s;
  if (!ok(env, kru_record_scores(H(kru_record, record), &s))) return NULL;
  jdouble v[10] = {s.has_pre,  s.pre_score,     s.pre_max,           s.has_post, s.post_score,
                   s.post_max, s.has_gain,      s.gain_absolute,     s.has_normalised_gain,
                   s.gain_normalised};
  jdoubleArray a = (*env)->NewDoubleArray(env, 10);
  if (a == NULL) return NULL;
  (*env)->SetDoubleArrayRegion(env, a, 0, 10, v);
  return (*env)->ExceptionCheck(env) ? NULL : a;
}

JNIEXPORT jlong FN(logAppendOffset)(JNIEnv *env, jclass c, jbyteArray log) {
  (void)c;
  in_bytes b;
  if (!in_get(env, log, "log", 0, &b)) return 0;
  size_t off = 0;
  kru_result r = kru_log_append_offset((const uint8_t *)b.data, b.len, &off);
  in_release(env, &b);
  return ok(env, r) ? (jlong)off : 0;
}

JNIEXPORT jlong FN(logRead)(JNIEnv *env, jclass c, jbyteArray log) {
  (void)c;
  in_bytes b;
  if (!in_get(env, log, "log", 0, &b)) return 0;
  kru_log *l = NULL;
  kru_result r = kru_log_read((const uint8_t *)b.data, b.len, &l);
  in_release(env, &b);
  return ok(env, r) ? J(l) : 0;
}

JNIEXPORT void FN(logFree)(JNIEnv *env, jclass c, jlong log) {
  (void)env;
  (void)c;
  kru_log_free(H(kru_log, log));
}

JNIEXPORT jlongArray FN(logCounts)(JNIEnv *env, jclass c, jlong log) {
  (void)c;
  size_t r = 0, d = 0, u = 0;
  if (!ok(env, kru_log_counts(H(kru_log, log), &r, &d, &u))) return NULL;
  jlong v[3] = {(jlong)r, (jlong)d, (jlong)u};
  return long_array(env, v, 3);
}

JNIEXPORT jlong FN(logRecord)(JNIEnv *env, jclass c, jlong log, jint index) {
  (void)c;
  kru_record *rec = NULL;
  if (index < 0) {
    const char *m = "kru_jni: record index is negative";
    throw_message(env, KRU_OUT_OF_RANGE, m, strlen(m));
    return 0;
  }
  return ok(env, kru_log_record(H(kru_log, log), (size_t)index, &rec)) ? J(rec) : 0;
}

JNIEXPORT jlongArray FN(logDamage)(JNIEnv *env, jclass c, jlong log, jint index) {
  (void)c;
  size_t off = 0, len = 0;
  if (index < 0) {
    const char *m = "kru_jni: damage index is negative";
    throw_message(env, KRU_OUT_OF_RANGE, m, strlen(m));
    return NULL;
  }
  if (!ok(env, kru_log_damage(H(kru_log, log), (size_t)index, &off, &len))) return NULL;
  jlong v[2] = {(jlong)off, (jlong)len};
  return long_array(env, v, 2);
}

JNIEXPORT jbyteArray FN(logDescribe)(JNIEnv *env, jclass c, jlong log) {
  (void)c;
  kru_str s;
  return ok(env, kru_log_describe(H(kru_log, log), &s)) ? str_bytes(env, s) : NULL;
}

JNIEXPORT jbyteArray FN(logMerge)(JNIEnv *env, jclass c, jobjectArray logs) {
  (void)c;
  in_strs in;
  if (logs == NULL) {
    throw_null(env, "logs");
    return NULL;
  }
  if (!strs_get(env, logs, "logs[]", &in)) return NULL;
  kru_slice *slices = malloc((in.count > 0 ? in.count : 1) * sizeof *slices);
  if (slices == NULL) {
    strs_release(env, &in);
    const char *m = "kru_jni: out of memory";
    throw_message(env, KRU_PANIC, m, strlen(m));
    return NULL;
  }
  for (size_t i = 0; i < in.count; i++) {
    slices[i].data = (const uint8_t *)in.strs[i].data;
    slices[i].len = in.strs[i].len;
  }
  kru_bytes *merged = NULL;
  kru_result r = kru_log_merge(slices, in.count, &merged);
  free(slices);
  strs_release(env, &in);
  return ok(env, r) ? take_bytes(env, merged) : NULL;
}
