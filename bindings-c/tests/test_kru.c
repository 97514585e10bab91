/*
 * test_kru.c: the C test suite of libkru, in plain C11.
 *
 * Drives full journeys, snapshot/restore, the results log, trust and signatures, hostile
 * input and every error path through the public header only, as a C host would. Built by
 * bindings-c/tests/run.sh with gcc -std=c11 -Wall -Wextra -Werror -pedantic and run plainly,
 * under valgrind and under ASan + UBSan.
 *
 * usage: test_kru PACK.krupack SIGNED.krupack SIGNER.pub OTHER.pub TMPDIR
 * Prints one line per test and ends with "N passed, M failed".
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kru.h"

/* ------------------------------------------------------------------------------------------ */
/* A tiny test harness                                                                          */

static int g_checks = 0;
static int g_failed_checks = 0;
static int g_test_failed = 0;

#define CHECK(cond)                                                                         \
  do {                                                                                      \
    g_checks++;                                                                             \
    if (!(cond)) {                                                                          \
      g_failed_checks++;                                                                    \
      g_test_failed = 1;                                                                    \
      fprintf(stderr, "  FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);                   \
    }                                                                                       \
  } while (0)

/* Checks that a call returns `code`; on a mismatch prints the names and the last error. */
#define EXPECT(code, call)                                                                  \
  do {                                                                                      \
    kru_result r_ = (call);                                                                 \
    g_checks++;                                                                             \
    if (r_ != (kru_result)(code)) {                                                         \
      char m_[1024];                                                                        \
      size_t n_ = 0;                                                                        \
      if (kru_last_error_message(m_, sizeof m_, &n_) != KRU_OK) m_[0] = 0;                  \
      g_failed_checks++;                                                                    \
      g_test_failed = 1;                                                                    \
      fprintf(stderr, "  FAILED %s:%d: %s\n    expected %s, got %s: %s\n", __FILE__,        \
              __LINE__, #call, kru_result_name(code), kru_result_name(r_), m_);             \
    }                                                                                       \
  } while (0)

#define OK(call) EXPECT(KRU_OK, call)

/* ------------------------------------------------------------------------------------------ */
/* Fixtures                                                                                     */

typedef struct {
  uint8_t *data;
  size_t len;
} buffer;

static buffer g_pack;   /* unsigned pack */
static buffer g_signed; /* the same pack, signed with the test key */
static uint8_t g_signer_key[32];
static uint8_t g_other_key[32];
static const char *g_tmpdir;
static buffer g_lao; /* the second-script test pack (English and Lao), unsigned */
static kru_pack *g_dev_pack; /* g_pack loaded with unsigned packs allowed */

static const int64_t T0 = 1767225600000; /* 2026-01-01T00:00:00Z */

static buffer read_file(const char *path) {
  buffer b = {NULL, 0};
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  b.data = malloc(n > 0 ? (size_t)n : 1);
  b.len = (size_t)n;
  if (!b.data || fread(b.data, 1, b.len, f) != b.len) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  return b;
}

static buffer copy(buffer b) {
  buffer c = {malloc(b.len ? b.len : 1), b.len};
  memcpy(c.data, b.data, b.len);
  return c;
}

static int str_eq(kru_str s, const char *c) {
  return s.data != NULL && s.len == strlen(c) && memcmp(s.data, c, s.len) == 0;
}

static int str_contains(kru_str s, const char *needle) {
  size_t n = strlen(needle);
  if (s.data == NULL || n > s.len) return 0;
  for (size_t i = 0; i + n <= s.len; i++)
    if (memcmp(s.data + i, needle, n) == 0) return 1;
  return 0;
}

static int last_error_contains(const char *needle) {
  char m[2048];
  size_t n = 0;
  if (kru_last_error_message(m, sizeof m, &n) != KRU_OK) return 0;
  return strstr(m, needle) != NULL;
}

static kru_str cstr(const char *s) {
  kru_str k = {s, strlen(s)};
  return k;
}

static kru_trust *trust_with(const uint8_t *key, int allow_unsigned) {
  kru_trust *t = NULL;
  OK(kru_trust_new(&t));
  if (key) OK(kru_trust_add_key(t, key, 32));
  if (allow_unsigned) OK(kru_trust_allow_unsigned(t));
  return t;
}

static kru_result load(const uint8_t *key, int allow_unsigned, const uint8_t *bytes, size_t len,
                       kru_pack **out) {
  kru_trust *t = trust_with(key, allow_unsigned);
  kru_result r = kru_pack_load(t, bytes, len, out);
  kru_trust_free(t);
  return r;
}

static uint32_t crc32_ieee(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* Offset of the checksum of a pack file, counted from its end so that it does not depend on
 * the header's layout: [checksum: 4][signature block length: 2][signature block]. */
#define SIGNATURE_BLOCK_LEN 97
static size_t checksum_offset(const buffer *b, int is_signed) {
  return b->len - 6 - (is_signed ? SIGNATURE_BLOCK_LEN : 0);
}

/* Offset of the pack id length byte: the byte before the id in the header. */
static size_t id_length_offset(const buffer *b) {
  const char *id = "safe-migration";
  size_t n = strlen(id);
  for (size_t i = 1; i + n <= b->len; i++)
    if (b->data[i - 1] == n && memcmp(b->data + i, id, n) == 0) return i - 1;
  return 0;
}

static kru_session *start(const char *journey, const char *lang, uint64_t seed) {
  kru_session *s = NULL;
  kru_str langs[1];
  langs[0] = cstr(lang);
  OK(kru_session_start(g_dev_pack, journey, strlen(journey), langs, 1, seed, "L-0001", 6, T0, &s));
  return s;
}

static kru_step_kind kind_of(const kru_session *s) {
  kru_step_kind k = 0;
  OK(kru_session_step_kind(s, &k));
  return k;
}

/* Which answer types a generic walk gave, and which step kinds it saw. */
typedef struct {
  int answer_types[8];
  int step_kinds[9];
  int intake_text, intake_choice, story_choices, story_endings, feedback, json_steps;
} walk_stats;

/* Answers the current step with a valid answer of the right type, or advances. Returns 0 at
 * the end (KRU_STEP_DONE). Reads every accessor of the step on the way. */
static int step_once(kru_session *s, int64_t now, walk_stats *st) {
  kru_step_kind kind = kind_of(s);
  kru_bytes *json = NULL;
  kru_slice js;
  if (st) st->step_kinds[kind]++;
  OK(kru_session_step_json(s, &json));
  OK(kru_bytes_data(json, &js));
  CHECK(js.len > 10 && js.data[0] == '{');
  if (st) st->json_steps++;
  kru_bytes_free(json);

  switch (kind) {
    case KRU_STEP_INTAKE: {
      kru_str field;
      kru_label label;
      bool required;
      size_t n;
      OK(kru_session_intake(s, &field, &label, &required, &n));
      CHECK(field.len > 0 && label.text.len > 0);
      if (n > 0) {
        kru_str code;
        kru_label ol;
        OK(kru_session_intake_option(s, n - 1, &code, &ol));
        CHECK(code.len > 0 && ol.text.len > 0);
        EXPECT(KRU_OUT_OF_RANGE, kru_session_intake_option(s, n, &code, &ol));
        EXPECT(KRU_WRONG_ANSWER_TYPE, kru_session_answer_text(s, "x", 1, now));
        OK(kru_session_answer_choice(s, 0, now));
        if (st) st->intake_choice++;
      } else {
        EXPECT(KRU_WRONG_ANSWER_TYPE, kru_session_answer_choice(s, 0, now));
        /* Too long: the same code as for a question. */
        char big[1100];
        memset(big, 'a', sizeof big);
        EXPECT(KRU_ANSWER_TOO_LONG, kru_session_answer_text(s, big, sizeof big, now));
        CHECK(last_error_contains("longer than 1024 bytes"));
        /* The messages use the right article. */
        kru_label card_title;
        size_t cm, cr;
        EXPECT(KRU_WRONG_STEP, kru_session_card(s, &card_title, NULL, &cm, &cr));
        CHECK(last_error_contains("the current step is an intake step, not a card step"));
        OK(kru_session_answer_text(s, "Prey Veng", 9, now));
        if (st) st->intake_text++;
      }
      return 1;
    }
    case KRU_STEP_PAGE: {
      kru_str phase, lesson;
      kru_label title;
      size_t page, pages, blocks;
      OK(kru_session_page(s, &phase, &lesson, &title, &page, &pages, &blocks));
      CHECK(page >= 1 && page <= pages && blocks > 0);
      for (size_t i = 0; i < blocks; i++) {
        kru_block_kind bk;
        kru_label text, detail;
        kru_str id, media;
        size_t entries;
        OK(kru_session_page_block(s, i, &bk, &text, &detail, &id, &media, &entries));
        CHECK(bk >= KRU_BLOCK_HEADING && bk <= KRU_BLOCK_RESOURCE);
        for (size_t e = 0; e < entries; e++) {
          kru_label entry;
          OK(kru_session_page_block_entry(s, i, e, &entry));
          CHECK(entry.text.data != NULL);
        }
        kru_resource res;
        if (bk == KRU_BLOCK_RESOURCE) {
          OK(kru_session_page_block_resource(s, i, &res));
          CHECK(res.phone.len > 0 && res.verified_month >= 1 && res.verified_month <= 12);
        } else {
          EXPECT(KRU_INVALID_ARGUMENT, kru_session_page_block_resource(s, i, &res));
        }
        if (bk == KRU_BLOCK_KEY_MESSAGE) CHECK(id.len > 0 && detail.text.len > 0);
        if (bk == KRU_BLOCK_HEADING || bk == KRU_BLOCK_PARAGRAPH) CHECK(text.text.len > 0 && id.data == NULL);
      }
      kru_block_kind bk;
      kru_label t1, t2;
      kru_str i1, m1;
      size_t e1;
      EXPECT(KRU_OUT_OF_RANGE, kru_session_page_block(s, blocks, &bk, &t1, &t2, &i1, &m1, &e1));
      EXPECT(KRU_NOT_ANSWERABLE, kru_session_answer_choice(s, 0, now));
      OK(kru_session_advance(s, now));
      return 1;
    }
    case KRU_STEP_STORY: {
      kru_str story, node, image, ending;
      kru_label title, text, chosen, consequence;
      size_t choices;
      OK(kru_session_story(s, &story, &title, &node, &text, &image, &choices));
      OK(kru_session_story_outcome(s, &chosen, &consequence, &ending));
      CHECK(story.len > 0 && node.len > 0 && text.text.len > 0);
      if (choices > 0) {
        kru_label c;
        OK(kru_session_story_choice(s, choices - 1, &c));
        CHECK(c.text.len > 0);
        CHECK(chosen.text.data == NULL && ending.data == NULL);
        EXPECT(KRU_ANSWER_REQUIRED, kru_session_advance(s, now));
        EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_choice(s, (uint32_t)choices, now));
        /* 65,536 does not wrap to choice 0. */
        EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_choice(s, 65536, now));
        CHECK(last_error_contains("answer index 65536 is out of range"));
        EXPECT(KRU_WRONG_ANSWER_TYPE, kru_session_answer_bool(s, true, now));
        /* Take the last choice: it tends to lead further through the story. */
        OK(kru_session_answer_choice(s, (uint32_t)(choices - 1), now));
        if (st) st->story_choices++;
      } else {
        if (chosen.text.data != NULL) CHECK(consequence.text.len > 0);
        /* A consequence and an ending take no answer alike: advance. */
        EXPECT(KRU_NOT_ANSWERABLE, kru_session_answer_choice(s, 0, now));
        if (ending.data != NULL) {
          CHECK(last_error_contains("ending"));
          CHECK(str_eq(ending, "safe") || str_eq(ending, "unsafe") || str_eq(ending, "neutral"));
          if (st) st->story_endings++;
        }
        OK(kru_session_advance(s, now));
      }
      return 1;
    }
    case KRU_STEP_QUESTION: {
      kru_str item, phase, phase_kind, item_kind;
      kru_answer_type expects;
      kru_label prompt, opt;
      size_t n, left;
      uint16_t number, total;
      OK(kru_session_question(s, &item, &expects, &prompt, &n, &left));
      OK(kru_session_question_info(s, &phase, &phase_kind, &item_kind, &number, &total));
      CHECK(item.len > 0 && prompt.text.len > 0 && number >= 1 && number <= total);
      for (size_t i = 0; i < n; i++) {
        OK(kru_session_question_option(s, i, &opt));
        CHECK(opt.text.len > 0);
      }
      EXPECT(KRU_OUT_OF_RANGE, kru_session_question_option(s, n, &opt));
      for (size_t i = 0; i < left; i++) OK(kru_session_question_left(s, i, &opt));
      EXPECT(KRU_OUT_OF_RANGE, kru_session_question_left(s, left, &opt));
      EXPECT(KRU_ANSWER_REQUIRED, kru_session_advance(s, now));
      uint32_t list[32];
      for (size_t i = 0; i < 32; i++) list[i] = (uint32_t)i;
      if (st) st->answer_types[expects]++;
      switch (expects) {
        case KRU_ANSWER_CHOICE:
          CHECK(str_eq(item_kind, "single"));
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_choice(s, (uint32_t)n, now));
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_choice(s, 65536, now));
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_choice(s, UINT32_MAX, now));
          EXPECT(KRU_WRONG_ANSWER_TYPE, kru_session_answer_scale(s, 0, now));
          OK(kru_session_answer_choice(s, 0, now));
          break;
        case KRU_ANSWER_CHOICES:
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_choices(s, list, n + 1, now));
          EXPECT(KRU_WRONG_ANSWER_TYPE, kru_session_answer_choice(s, 0, now));
          OK(kru_session_answer_choices(s, list, 1, now));
          break;
        case KRU_ANSWER_TRUE_FALSE:
          CHECK(n == 0);
          EXPECT(KRU_WRONG_ANSWER_TYPE, kru_session_answer_text(s, "true", 4, now));
          OK(kru_session_answer_bool(s, true, now));
          break;
        case KRU_ANSWER_ORDER:
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_order(s, list, n - 1, now));
          list[0] += 65536; /* would be a valid order if it wrapped to 16 bits */
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_order(s, list, n, now));
          CHECK(last_error_contains("answer index 65536"));
          list[0] -= 65536;
          OK(kru_session_answer_order(s, list, n, now));
          break;
        case KRU_ANSWER_MATCHES: {
          uint32_t m[32] = {0};
          for (size_t i = 0; i < left && i < 32; i++) m[i] = (uint32_t)(i % n);
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_matches(s, m, left + 1, now));
          OK(kru_session_answer_matches(s, m, left, now));
          break;
        }
        case KRU_ANSWER_TEXT: {
          char big[2000];
          memset(big, 'a', sizeof big);
          EXPECT(KRU_ANSWER_TOO_LONG, kru_session_answer_text(s, big, sizeof big, now));
          EXPECT(KRU_WRONG_ANSWER_TYPE, kru_session_answer_bool(s, false, now));
          OK(kru_session_answer_text(s, "១២៨៨", strlen("១២៨៨"), now));
          break;
        }
        case KRU_ANSWER_SCALE:
          CHECK(str_eq(item_kind, "likert"));
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_scale(s, (uint32_t)n, now));
          EXPECT(KRU_ANSWER_OUT_OF_RANGE, kru_session_answer_scale(s, 65536, now));
          OK(kru_session_answer_scale(s, (uint32_t)(n - 1), now));
          break;
        default:
          CHECK(!"unknown answer type");
      }
      return 1;
    }
    case KRU_STEP_FEEDBACK: {
      kru_str item;
      bool correct, has_bool, value;
      float credit;
      kru_label message, explanation, entry;
      size_t right;
      OK(kru_session_feedback(s, &item, &correct, &credit, &message, &explanation, &right));
      OK(kru_session_feedback_right_bool(s, &has_bool, &value));
      CHECK(item.len > 0 && credit >= 0.0f && credit <= 1.0f && message.text.data != NULL);
      for (size_t i = 0; i < right; i++) OK(kru_session_feedback_right_answer(s, i, &entry));
      EXPECT(KRU_OUT_OF_RANGE, kru_session_feedback_right_answer(s, right, &entry));
      EXPECT(KRU_NOT_ANSWERABLE, kru_session_answer_choice(s, 0, now));
      if (st) st->feedback++;
      OK(kru_session_advance(s, now));
      return 1;
    }
    case KRU_STEP_PHASE_SUMMARY: {
      kru_str phase, pk;
      kru_label title;
      double score, max;
      uint32_t correct;
      OK(kru_session_phase_summary(s, &phase, &pk, &title, &score, &max, &correct));
      CHECK(score >= 0 && score <= max && correct <= max);
      OK(kru_session_advance(s, now));
      return 1;
    }
    case KRU_STEP_CARD: {
      kru_label title, footer, mt, ms;
      kru_str obj;
      size_t nm, nr;
      kru_resource res;
      OK(kru_session_card(s, &title, &footer, &nm, &nr));
      CHECK(title.text.len > 0 && nm == 6 && nr == 1);
      for (size_t i = 0; i < nm; i++) OK(kru_session_card_message(s, i, &obj, &mt, &ms));
      EXPECT(KRU_OUT_OF_RANGE, kru_session_card_message(s, nm, &obj, &mt, &ms));
      OK(kru_session_card_resource(s, 0, &res));
      CHECK(str_eq(res.phone, "1288") && str_eq(res.id, "hotline-1288"));
      CHECK(res.verified_year >= 2024);
      EXPECT(KRU_OUT_OF_RANGE, kru_session_card_resource(s, nr, &res));
      OK(kru_session_advance(s, now));
      return 1;
    }
    case KRU_STEP_DONE: {
      kru_scores sc;
      OK(kru_session_done_scores(s, &sc));
      CHECK(sc.has_pre && sc.has_post && sc.pre_max > 0 && sc.has_gain);
      /* Before finish: the messages point to kru_session_finish(). */
      bool finished = true;
      OK(kru_session_is_finished(s, &finished));
      CHECK(!finished);
      EXPECT(KRU_JOURNEY_COMPLETE, kru_session_advance(s, now));
      CHECK(last_error_contains("call finish"));
      EXPECT(KRU_JOURNEY_COMPLETE, kru_session_answer_choice(s, 0, now));
      CHECK(last_error_contains("call finish"));
      return 0;
    }
    default:
      CHECK(!"unknown step kind");
      return 0;
  }
}

/* Walks a session to the end; returns the number of steps taken. */
static int walk(kru_session *s, int64_t *now, walk_stats *st) {
  int steps = 0;
  while (steps < 2000 && step_once(s, *now, st)) {
    steps++;
    *now += 1500;
  }
  CHECK(steps < 2000);
  return steps;
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                        */

static void test_versions_and_codes(void) {
  CHECK(strcmp(kru_version(), KRU_VERSION) == 0);
  CHECK(kru_abi_version() == KRU_ABI_VERSION);
  CHECK(strcmp(kru_result_name(KRU_OK), "KRU_OK") == 0);
  CHECK(strcmp(kru_result_name(KRU_PACK_SIGNATURE_MISMATCH), "KRU_PACK_SIGNATURE_MISMATCH") == 0);
  CHECK(strcmp(kru_result_name(123456), "KRU_UNKNOWN_RESULT") == 0);
  CHECK(strlen(kru_result_message(KRU_PACK_TRUNCATED)) > 0);
  CHECK(strcmp(kru_result_message(999999), "unknown result code") == 0);
  CHECK(KRU_OK == 0 && KRU_PANIC == 1 && KRU_NULL_ARGUMENT == 2 && KRU_PACK_TRUNCATED == 100);
}

static void test_pack_metadata(void) {
  kru_str id, tag, name;
  uint16_t a, b, c;
  size_t n, def, nj;
  bool reviewed;
  kru_label title;
  OK(kru_pack_id(g_dev_pack, &id));
  CHECK(str_eq(id, "safe-migration"));
  OK(kru_pack_version(g_dev_pack, &a, &b, &c));
  CHECK(a == 1 && b == 0 && c == 0);
  OK(kru_pack_language_count(g_dev_pack, &n));
  CHECK(n == 2);
  OK(kru_pack_language(g_dev_pack, 0, &tag, &name, &reviewed));
  CHECK(str_eq(tag, "km") && str_eq(name, "ខ្មែរ"));
  OK(kru_pack_language(g_dev_pack, 1, &tag, &name, &reviewed));
  CHECK(str_eq(tag, "en") && str_eq(name, "English") && reviewed);
  EXPECT(KRU_OUT_OF_RANGE, kru_pack_language(g_dev_pack, 2, &tag, &name, &reviewed));
  CHECK(last_error_contains("language index 2 is out of range"));
  OK(kru_pack_default_language(g_dev_pack, &def));
  CHECK(def == 1);
  OK(kru_pack_title(g_dev_pack, 1, &title));
  CHECK(str_contains(title.text, "Safe migration"));
  OK(kru_pack_description(g_dev_pack, 0, &title));
  CHECK(title.text.len > 0);
  EXPECT(KRU_OUT_OF_RANGE, kru_pack_title(g_dev_pack, 7, &title));
  OK(kru_pack_journey_count(g_dev_pack, &nj));
  CHECK(nj >= 2);
  int kiosk = 0, school = 0;
  for (size_t i = 0; i < nj; i++) {
    OK(kru_pack_journey(g_dev_pack, i, 1, &id, &title));
    kiosk |= str_eq(id, "kiosk");
    school |= str_eq(id, "school");
  }
  CHECK(kiosk && school);
  EXPECT(KRU_OUT_OF_RANGE, kru_pack_journey(g_dev_pack, nj, 0, &id, &title));
}

/* The pack catalogue as JSON: the C view of what `kru info --json` and the JS `pack.catalogue()`
 * return. Checked by looking for exact fragments of the compact JSON. */
static void test_pack_catalogue(void) {
  const int64_t nov_2026 = 1793491200000;  /* 2026-11-01: the hotline was verified 31 days ago */
  const int64_t jan_2028 = 1830297600000;  /* 2028-01-01: 457 days, more than the pack's 365 */
  kru_str en = cstr("en"), km = cstr("km");
  kru_bytes *json = NULL;
  kru_slice v;
  OK(kru_pack_catalogue_json(g_dev_pack, &en, 1, nov_2026, &json));
  OK(kru_bytes_data(json, &v));
  kru_str view = {(const char *)v.data, v.len};
  CHECK(v.len > 1000 && v.data[0] == '{' && v.data[v.len - 1] == '}');
  CHECK(str_contains(view, "\"id\":\"safe-migration\",\"version\":\"1.0.0\""));
  CHECK(str_contains(view, "\"title\":\"Safe migration: six key messages\""));
  CHECK(str_contains(view, "\"signerKeyId\":null"));
  CHECK(str_contains(view, "\"languages\":[{\"tag\":\"km\",\"name\":\"ខ្មែរ\""));
  CHECK(str_contains(view, "\"coverage\":[{\"tag\":\"km\",\"present\":"));
  CHECK(str_contains(view, "\"kind\":\"pre-test\""));
  CHECK(str_contains(view, "\"intake\":[{\"id\":\"sex\""));
  CHECK(str_contains(view, "{\"code\":\"female\",\"label\":\"Female\"}"));
  CHECK(str_contains(view, "\"objectives\":[{\"id\":\"broker\",\"title\":\"Don’t trust a broker’s promise\""));
  CHECK(str_contains(view, "\"itemKinds\":[{\"kind\":\"single\",\"count\":"));
  CHECK(str_contains(view, "{\"kind\":\"likert\",\"count\":"));
  CHECK(str_contains(view, "\"phone\":\"1288\""));
  CHECK(str_contains(view, "\"verified\":{\"year\":2026,\"month\":10,\"day\":1},\"ageDays\":31,\"stale\":false"));
  CHECK(str_contains(view, "\"card\":{\"title\":"));
  kru_bytes_free(json);

  /* Later, the hotline is stale; in Khmer, the texts are Khmer. */
  OK(kru_pack_catalogue_json(g_dev_pack, &km, 1, jan_2028, &json));
  OK(kru_bytes_data(json, &v));
  view.data = (const char *)v.data;
  view.len = v.len;
  CHECK(str_contains(view, "\"ageDays\":457,\"stale\":true"));
  CHECK(!str_contains(view, "\"title\":\"Safe migration: six key messages\""));
  CHECK(str_contains(view, "\"code\":\"female\""));
  kru_bytes_free(json);

  /* No languages: the pack's default (English). */
  OK(kru_pack_catalogue_json(g_dev_pack, NULL, 0, nov_2026, &json));
  OK(kru_bytes_data(json, &v));
  view.data = (const char *)v.data;
  view.len = v.len;
  CHECK(str_contains(view, "\"title\":\"Safe migration: six key messages\""));
  kru_bytes_free(json);

  /* A signed pack names its signer: the first 8 bytes of the key, in hex. */
  kru_pack *signed_pack = NULL;
  OK(load(g_signer_key, 0, g_signed.data, g_signed.len, &signed_pack));
  char want[64] = "\"signerKeyId\":\"";
  for (int i = 0; i < 8; i++) snprintf(want + 15 + 2 * i, 3, "%02x", g_signer_key[i]);
  strcat(want, "\"");
  OK(kru_pack_catalogue_json(signed_pack, NULL, 0, nov_2026, &json));
  OK(kru_bytes_data(json, &v));
  view.data = (const char *)v.data;
  view.len = v.len;
  CHECK(str_contains(view, want));
  kru_bytes_free(json);
  kru_pack_free(signed_pack);

  /* Errors leave the out-pointer alone. */
  json = NULL;
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_catalogue_json(NULL, NULL, 0, nov_2026, &json));
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_catalogue_json(g_dev_pack, NULL, 0, nov_2026, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_catalogue_json(g_dev_pack, NULL, 1, nov_2026, &json));
  kru_str bad = {"\xff", 1};
  EXPECT(KRU_INVALID_UTF8, kru_pack_catalogue_json(g_dev_pack, &bad, 1, nov_2026, &json));
  CHECK(last_error_contains("kru_pack_catalogue_json: argument `languages[0]`"));
  CHECK(json == NULL);
}

static void test_trust_policy(void) {
  kru_pack *p = NULL;
  /* Unsigned packs are refused unless the host allows them. */
  EXPECT(KRU_PACK_UNSIGNED, load(NULL, 0, g_pack.data, g_pack.len, &p));
  CHECK(p == NULL);
  CHECK(last_error_contains("kru_pack_load: pack is not signed"));
  EXPECT(KRU_PACK_UNSIGNED, load(g_signer_key, 0, g_pack.data, g_pack.len, &p));
  /* Signed by a trusted key: loads. */
  OK(load(g_signer_key, 0, g_signed.data, g_signed.len, &p));
  CHECK(p != NULL);
  kru_pack_free(p);
  p = NULL;
  /* Signed by a key the host does not trust. */
  EXPECT(KRU_PACK_UNTRUSTED_SIGNER, load(g_other_key, 0, g_signed.data, g_signed.len, &p));
  CHECK(last_error_contains("which this host does not trust"));
  EXPECT(KRU_PACK_UNTRUSTED_SIGNER, load(NULL, 0, g_signed.data, g_signed.len, &p));
  /* Several keys: any of them will do. */
  kru_trust *t = trust_with(g_other_key, 0);
  OK(kru_trust_add_key(t, g_signer_key, 32));
  OK(kru_pack_load(t, g_signed.data, g_signed.len, &p));
  kru_pack_free(p);
  p = NULL;
  kru_trust_free(t);
  /* Development: unsigned allowed, and a valid signature from anyone is fine. */
  OK(load(NULL, 1, g_signed.data, g_signed.len, &p));
  kru_pack_free(p);
  p = NULL;
  /* Bad keys. */
  t = trust_with(NULL, 0);
  EXPECT(KRU_INVALID_ARGUMENT, kru_trust_add_key(t, g_signer_key, 31));
  CHECK(last_error_contains("32-byte"));
  EXPECT(KRU_NULL_ARGUMENT, kru_trust_add_key(t, NULL, 32));
  uint8_t bad[32];
  memset(bad, 0xFF, sizeof bad);
  bad[31] = 0x7F; /* y = 2^255 - 1: not a canonical field element, not a key */
  kru_result r = kru_trust_add_key(t, bad, 32);
  CHECK(r == KRU_INVALID_PUBLIC_KEY || r == KRU_OK);
  kru_trust_free(t);
}

static void test_hotline_digit_tamper(void) {
  /* Change the hotline number 1288 -> 1289 in the signed pack. */
  buffer b = copy(g_signed);
  size_t at = 0;
  for (size_t i = 0; i + 5 <= b.len; i++)
    if (memcmp(b.data + i, "\x04" "1288", 5) == 0) {
      at = i + 4;
      break;
    }
  CHECK(at != 0);
  b.data[at] = '9';
  kru_pack *p = NULL;
  /* The checksum catches the change first ... */
  EXPECT(KRU_PACK_CHECKSUM_MISMATCH, load(g_signer_key, 0, b.data, b.len, &p));
  CHECK(last_error_contains("checksum mismatch at offset"));
  /* ... and when the tamperer fixes the checksum, the signature does. */
  size_t off = checksum_offset(&b, 1);
  CHECK(rd32(b.data + off) == crc32_ieee(g_signed.data, off));
  wr32(b.data + off, crc32_ieee(b.data, off));
  EXPECT(KRU_PACK_SIGNATURE_MISMATCH, load(g_signer_key, 0, b.data, b.len, &p));
  CHECK(last_error_contains("changed after it was signed"));
  /* Even a development host refuses a broken signature. */
  EXPECT(KRU_PACK_SIGNATURE_MISMATCH, load(NULL, 1, b.data, b.len, &p));
  CHECK(p == NULL);
  /* The same change in the unsigned pack with a fixed checksum loads in development: the
   * signature is what protects the number. */
  buffer u = copy(g_pack);
  for (size_t i = 0; i + 5 <= u.len; i++)
    if (memcmp(u.data + i, "\x04" "1288", 5) == 0) {
      u.data[i + 4] = '9';
      break;
    }
  off = checksum_offset(&u, 0);
  wr32(u.data + off, crc32_ieee(u.data, off));
  OK(load(NULL, 1, u.data, u.len, &p));
  kru_pack_free(p);
  free(u.data);
  free(b.data);
}

static void test_hostile_pack_bytes(void) {
  kru_pack *p = NULL;
  /* Empty, NULL with length 0, short. */
  EXPECT(KRU_PACK_TRUNCATED, load(NULL, 1, NULL, 0, &p));
  EXPECT(KRU_PACK_TRUNCATED, load(NULL, 1, g_pack.data, 5, &p));
  /* Garbage of many sizes. */
  uint32_t seed = 12345;
  uint8_t *g = malloc(70000);
  for (size_t size = 1; size <= 70000; size = size * 3 + 1) {
    for (size_t i = 0; i < size; i++) {
      seed = seed * 1103515245u + 12345u;
      g[i] = (uint8_t)(seed >> 16);
    }
    kru_result r = load(NULL, 1, g, size, &p);
    CHECK(r >= KRU_PACK_TRUNCATED && r <= KRU_PACK_ERROR);
    /* Garbage behind a valid magic number and format. */
    memcpy(g, g_pack.data, size < 12 ? size : 12);
    r = load(NULL, 1, g, size, &p);
    CHECK(r >= KRU_PACK_TRUNCATED && r <= KRU_PACK_ERROR);
  }
  free(g);
  CHECK(p == NULL);
  /* Bad magic. */
  buffer b = copy(g_pack);
  b.data[1] = 'X';
  EXPECT(KRU_PACK_BAD_MAGIC, load(NULL, 1, b.data, b.len, &p));
  free(b.data);
  /* Unknown format version, flags. */
  b = copy(g_pack);
  b.data[8] = 9;
  EXPECT(KRU_PACK_UNSUPPORTED_FORMAT, load(NULL, 1, b.data, b.len, &p));
  b.data[8] = g_pack.data[8];
  b.data[10] = 2; /* bit 0 is "stored without LZ4"; bit 1 is unknown */
  EXPECT(KRU_PACK_UNKNOWN_FLAGS, load(NULL, 1, b.data, b.len, &p));
  free(b.data);
  /* Trailing bytes. */
  b.len = g_pack.len + 3;
  b.data = calloc(b.len, 1);
  memcpy(b.data, g_pack.data, g_pack.len);
  EXPECT(KRU_PACK_TRAILING_BYTES, load(NULL, 1, b.data, b.len, &p));
  free(b.data);
  /* A damaged payload byte. */
  b = copy(g_pack);
  b.data[b.len / 2] ^= 0x5A;
  EXPECT(KRU_PACK_CHECKSUM_MISMATCH, load(NULL, 1, b.data, b.len, &p));
  free(b.data);
}

static void test_truncation_at_every_offset(void) {
  kru_pack *p = NULL;
  kru_trust *t = trust_with(NULL, 1);
  size_t truncated = 0, other = 0;
  for (size_t len = 0; len < g_pack.len; len++) {
    kru_result r = kru_pack_load(t, g_pack.data, len, &p);
    if (r == KRU_PACK_TRUNCATED)
      truncated++;
    else if (r != KRU_OK && r >= KRU_PACK_TRUNCATED && r <= KRU_PACK_ERROR)
      other++;
    else
      CHECK(!"a truncated pack loaded or gave a non-pack error");
  }
  CHECK(p == NULL);
  CHECK(truncated + other == g_pack.len);
  /* The signed pack too (truncation inside the signature block). */
  size_t sig_refused = 0;
  for (size_t len = g_pack.len - 4; len < g_signed.len; len++) {
    kru_result r = kru_pack_load(t, g_signed.data, len, &p);
    sig_refused += (r != KRU_OK);
  }
  CHECK(p == NULL);
  CHECK(sig_refused == g_signed.len - (g_pack.len - 4));
  kru_trust_free(t);
  printf("    %zu truncations refused (%zu as truncated)\n", truncated + other, truncated);
}

static void test_huge_declared_lengths(void) {
  kru_pack *p = NULL;
  buffer b = copy(g_pack);
  /* Payload length 4 GiB - 1. */
  wr32(b.data + 12, 0xFFFFFFFFu);
  kru_result r = load(NULL, 1, b.data, b.len, &p);
  CHECK(r == KRU_PACK_TOO_LARGE || r == KRU_PACK_TRUNCATED);
  /* Payload length a little larger than the file. */
  wr32(b.data + 12, (uint32_t)b.len);
  EXPECT(KRU_PACK_TRUNCATED, load(NULL, 1, b.data, b.len, &p));
  free(b.data);
  /* Every 32-bit field of the fixed header set to 4 GiB - 1 (payload and decoded lengths). */
  size_t id_at = id_length_offset(&g_pack);
  CHECK(id_at >= 12);
  for (size_t at = 12; at + 4 <= id_at; at++) {
    b = copy(g_pack);
    wr32(b.data + at, 0xFFFFFFFFu);
    r = load(NULL, 1, b.data, b.len, &p);
    CHECK(r != KRU_OK && r >= KRU_PACK_TRUNCATED && r <= KRU_PACK_ERROR);
    free(b.data);
  }
  /* Pack id length 0 and 255. */
  b = copy(g_pack);
  b.data[id_at] = 0;
  EXPECT(KRU_PACK_BAD_ID, load(NULL, 1, b.data, b.len, &p));
  b.data[id_at] = 255;
  EXPECT(KRU_PACK_BAD_ID, load(NULL, 1, b.data, b.len, &p));
  free(b.data);
  /* Signature block length 65535. */
  b = copy(g_pack);
  size_t off = checksum_offset(&b, 0);
  b.data[off + 4] = 0xFF;
  b.data[off + 5] = 0xFF;
  EXPECT(KRU_PACK_TRUNCATED, load(NULL, 1, b.data, b.len, &p));
  free(b.data);
  /* A length larger than any object: refused before reading. */
  EXPECT(KRU_OUT_OF_RANGE, load(NULL, 1, g_pack.data, SIZE_MAX, &p));
  EXPECT(KRU_OUT_OF_RANGE, kru_log_append_offset(g_pack.data, SIZE_MAX / 2 + 7, &off));
  kru_session *s = start("kiosk", "en", 1);
  uint32_t one = 0;
  EXPECT(KRU_OUT_OF_RANGE, kru_session_answer_choices(s, &one, SIZE_MAX / 2, T0));
  kru_session_free(s);
  CHECK(p == NULL);
}

static void test_null_arguments(void) {
  kru_pack *p = NULL;
  kru_trust *t = trust_with(NULL, 1);
  kru_session *s = start("kiosk", "en", 2);
  kru_str str;
  kru_label label;
  size_t n;
  kru_step_kind k;
  EXPECT(KRU_NULL_ARGUMENT, kru_trust_new(NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_load(NULL, g_pack.data, g_pack.len, &p));
  CHECK(last_error_contains("argument `trust` is NULL"));
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_load(t, NULL, 10, &p));
  CHECK(last_error_contains("argument `bytes` is NULL"));
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_load(t, g_pack.data, g_pack.len, NULL));
  CHECK(last_error_contains("out_pack"));
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_id(NULL, &str));
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_id(g_dev_pack, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_pack_journey_count(NULL, &n));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_start(NULL, "kiosk", 5, NULL, 0, 1, "L", 1, T0, &s));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_start(g_dev_pack, NULL, 5, NULL, 0, 1, "L", 1, T0, &s));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_start(g_dev_pack, "kiosk", 5, NULL, 2, 1, "L", 1, T0, &s));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, 1, NULL, 1, T0, &s));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, 1, "L", 1, T0, NULL));
  kru_str langs[1] = {{NULL, 3}};
  EXPECT(KRU_NULL_ARGUMENT, kru_session_start(g_dev_pack, "kiosk", 5, langs, 1, 1, "L", 1, T0, &s));
  CHECK(last_error_contains("languages[0]"));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_step_kind(NULL, &k));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_step_kind(s, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_question_option(s, 0, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_question_option(NULL, 0, &label));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_answer_choice(NULL, 0, T0));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_answer_text(s, NULL, 4, T0));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_answer_choices(s, NULL, 2, T0));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_advance(NULL, T0));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_snapshot(s, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_finish(s, T0, NULL));
  kru_session *none = NULL;
  EXPECT(KRU_NULL_ARGUMENT, kru_session_restore(g_dev_pack, NULL, 8, &none));
  CHECK(none == NULL);
  EXPECT(KRU_NULL_ARGUMENT, kru_bytes_data(NULL, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_log_read(NULL, 3, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_record_info(NULL, &str, &str, &str, &str));
  EXPECT(KRU_NULL_ARGUMENT, kru_report_json(NULL, NULL, 0, NULL, 0, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_last_error_message(NULL, 0, NULL));
  /* An empty answer list may come with a NULL pointer. */
  EXPECT(KRU_WRONG_ANSWER_TYPE, kru_session_answer_choices(s, NULL, 0, T0));
  /* The free functions accept NULL. */
  kru_trust_free(NULL);
  kru_pack_free(NULL);
  kru_session_free(NULL);
  kru_record_free(NULL);
  kru_log_free(NULL);
  kru_bytes_free(NULL);
  CHECK(p == NULL);
  kru_session_free(s);
  kru_trust_free(t);
}

static void test_wrong_handles(void) {
  kru_session *s = start("kiosk", "en", 3);
  kru_step_kind k;
  kru_str str;
  size_t n;
  /* A pack passed as a session, a session as a pack, a record as a log. */
  EXPECT(KRU_INVALID_HANDLE, kru_session_step_kind((const kru_session *)g_dev_pack, &k));
  CHECK(last_error_contains("not a live kru_session handle"));
  EXPECT(KRU_INVALID_HANDLE, kru_pack_id((const kru_pack *)s, &str));
  EXPECT(KRU_INVALID_HANDLE, kru_session_advance((kru_session *)g_dev_pack, T0));
  EXPECT(KRU_INVALID_HANDLE, kru_log_counts((const kru_log *)s, &n, &n, &n));
  /* Memory that is not a handle at all. */
  uint64_t junk[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT(KRU_INVALID_HANDLE, kru_session_step_kind((const kru_session *)junk, &k));
  EXPECT(KRU_INVALID_HANDLE, kru_pack_journey_count((const kru_pack *)((char *)junk + 1), &n));
  /* Freeing through the wrong free function frees nothing (valgrind would see a leak or an
   * invalid free otherwise). */
  kru_pack_free((kru_pack *)s);
  CHECK(last_error_contains("not a live kru_pack handle"));
  kru_session_free((kru_session *)g_dev_pack);
  kru_bytes_free((kru_bytes *)junk);
  /* Both are still usable. */
  OK(kru_session_step_kind(s, &k));
  OK(kru_pack_journey_count(g_dev_pack, &n));
  kru_session_free(s);
}

static void test_invalid_utf8(void) {
  kru_session *s = NULL;
  kru_str bad_lang[2] = {{"en", 2}, {"\xc3\x28", 2}};
  EXPECT(KRU_INVALID_UTF8, kru_session_start(g_dev_pack, "kio\xffsk", 6, NULL, 0, 1, "L", 1, T0, &s));
  CHECK(last_error_contains("argument `journey` is not valid UTF-8 (invalid byte at offset 3)"));
  EXPECT(KRU_INVALID_UTF8, kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, 1, "\xe1\x9f", 2, T0, &s));
  EXPECT(KRU_INVALID_UTF8, kru_session_start(g_dev_pack, "kiosk", 5, bad_lang, 2, 1, "L", 1, T0, &s));
  CHECK(last_error_contains("languages[1]"));
  CHECK(s == NULL);
  s = start("kiosk", "en", 4);
  EXPECT(KRU_INVALID_UTF8, kru_session_answer_text(s, "12\x80", 3, T0));
  EXPECT(KRU_INVALID_UTF8, kru_session_set_languages(s, bad_lang, 2));
  EXPECT(KRU_INVALID_UTF8, kru_report_json(g_dev_pack, NULL, 0, "{\xff}", 3, NULL));
  kru_session_free(s);
}

static void test_start_errors(void) {
  kru_session *s = NULL;
  EXPECT(KRU_UNKNOWN_JOURNEY, kru_session_start(g_dev_pack, "museum", 6, NULL, 0, 1, "L", 1, T0, &s));
  CHECK(last_error_contains("pack has no journey 'museum'"));
  EXPECT(KRU_BAD_LEARNER_CODE, kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, 1, "", 0, T0, &s));
  EXPECT(KRU_BAD_LEARNER_CODE, kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, 1, "a\nb", 3, T0, &s));
  char long_code[100];
  memset(long_code, 'x', sizeof long_code);
  EXPECT(KRU_BAD_LEARNER_CODE,
         kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, 1, long_code, sizeof long_code, T0, &s));
  CHECK(s == NULL);
  /* No languages: the pack's default (English). */
  OK(kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, 1, "L", 1, T0, &s));
  kru_str tag;
  OK(kru_session_language(s, &tag));
  CHECK(str_eq(tag, "en"));
  kru_session_free(s);
}

static void test_full_kiosk_journey(void) {
  kru_session *s = start("kiosk", "en", 42);
  int64_t now = T0;
  kru_str journey, learner, tag, name;
  uint64_t seed;
  size_t done, total;
  bool is_done;
  OK(kru_session_info(s, &journey, &learner, &seed));
  CHECK(str_eq(journey, "kiosk") && str_eq(learner, "L-0001") && seed == 42);
  OK(kru_session_step_kind_name(s, &name));
  CHECK(str_eq(name, "question"));
  /* Wrong-step accessors and wrong answers leave the session unchanged. */
  kru_str a, b;
  kru_label l;
  size_t x, y, z;
  EXPECT(KRU_WRONG_STEP, kru_session_page(s, &a, &b, &l, &x, &y, &z));
  CHECK(last_error_contains("the current step is a question step, not a page step"));
  EXPECT(KRU_WRONG_STEP, kru_session_card(s, &l, &l, &x, &y));
  kru_scores sc;
  EXPECT(KRU_WRONG_STEP, kru_session_done_scores(s, &sc));
  kru_record *rec = NULL;
  EXPECT(KRU_NOT_FINISHED, kru_session_finish(s, now, &rec));
  CHECK(last_error_contains("steps remain"));
  CHECK(rec == NULL);
  OK(kru_session_progress(s, &done, &total, &is_done));
  CHECK(done == 0 && total > 10 && !is_done);

  walk_stats st;
  memset(&st, 0, sizeof st);
  int steps = walk(s, &now, &st);
  CHECK(steps > 15);
  CHECK(st.answer_types[KRU_ANSWER_TRUE_FALSE] == 2 && st.answer_types[KRU_ANSWER_CHOICE] == 6 &&
        st.answer_types[KRU_ANSWER_TEXT] == 2);
  CHECK(st.feedback == 5 && st.step_kinds[KRU_STEP_CARD] == 1 && st.step_kinds[KRU_STEP_PAGE] >= 1);
  OK(kru_session_progress(s, &done, &total, &is_done));
  CHECK(done == total && is_done);

  OK(kru_session_finish(s, now, &rec));
  CHECK(rec != NULL);
  kru_record *again = NULL;
  EXPECT(KRU_SESSION_ENDED, kru_session_finish(s, now, &again));
  CHECK(last_error_contains("already ended"));
  EXPECT(KRU_SESSION_ENDED, kru_session_abandon(s, now, &again));
  EXPECT(KRU_SESSION_ENDED, kru_session_answer_choice(s, 0, now));
  CHECK(again == NULL);
  OK(kru_session_step_kind_name(s, &name));
  CHECK(str_eq(name, "done"));

  kru_str pack_id, lang;
  bool completed;
  int64_t started, ended;
  size_t responses;
  OK(kru_record_info(rec, &learner, &pack_id, &journey, &lang));
  CHECK(str_eq(learner, "L-0001") && str_eq(pack_id, "safe-migration") && str_eq(journey, "kiosk") &&
        str_eq(lang, "en"));
  OK(kru_record_outcome(rec, &completed, &started, &ended, &responses));
  CHECK(completed && started == T0 && ended == now && responses == 10);
  OK(kru_record_scores(rec, &sc));
  CHECK(sc.has_pre && sc.has_post && sc.pre_max == 5 && sc.post_max == 5 && sc.has_gain);
  kru_slice rid;
  OK(kru_record_id(rec, &rid));
  CHECK(rid.len == 16);
  kru_bytes *json = NULL;
  kru_slice js;
  OK(kru_record_json(rec, &json));
  OK(kru_bytes_data(json, &js));
  CHECK(js.len > 100 && js.data[0] == '{');
  kru_bytes_free(json);
  OK(kru_session_language(s, &tag));
  CHECK(str_eq(tag, "en"));
  kru_record_free(rec);
  kru_session_free(s);
}

/* "I don't know" (issue 15): offered on the kiosk's knowledge questions, scored zero, shown as
 * such in the review; refused where a journey does not offer it. */
static void test_dont_know(void) {
  kru_session *s = start("kiosk", "km", 5);
  int64_t now = T0;
  int asked = 0, reviewed = 0;
  for (int guard = 0; guard < 200; guard++) {
    kru_step_kind kind;
    OK(kru_session_step_kind(s, &kind));
    if (kind == KRU_STEP_DONE) break;
    bool flag = false;
    if (kind == KRU_STEP_QUESTION) {
      OK(kru_session_question_dont_know(s, &flag));
      CHECK(flag);
      OK(kru_session_answer_dont_know(s, now));
      asked++;
    } else {
      if (kind == KRU_STEP_FEEDBACK) {
        bool correct = true;
        OK(kru_session_feedback_dont_know(s, &flag));
        OK(kru_session_feedback(s, NULL, &correct, NULL, NULL, NULL, NULL));
        CHECK(flag && !correct);
        reviewed++;
      } else {
        EXPECT(KRU_WRONG_STEP, kru_session_question_dont_know(s, &flag));
      }
      OK(kru_session_advance(s, now));
    }
    now += 1000;
  }
  CHECK(asked == 10 && reviewed == 5);
  kru_record *rec = NULL;
  OK(kru_session_finish(s, now, &rec));
  kru_scores sc;
  OK(kru_record_scores(rec, &sc));
  CHECK(sc.has_pre && sc.pre_score == 0 && sc.pre_max == 5 && sc.has_post && sc.post_score == 0 && sc.post_max == 5);
  kru_bytes *json = NULL;
  kru_slice js;
  OK(kru_record_json(rec, &json));
  OK(kru_bytes_data(json, &js));
  kru_str view = {(const char *)js.data, js.len};
  CHECK(str_contains(view, "\"DontKnow\""));
  kru_bytes_free(json);
  kru_record_free(rec);
  kru_session_free(s);

  /* The school journey does not offer it: refused, and the session is unchanged. */
  s = start("school", "km", 5);
  now = T0;
  walk_stats st;
  memset(&st, 0, sizeof st);
  kru_step_kind kind;
  for (int guard = 0; guard < 50; guard++) {
    OK(kru_session_step_kind(s, &kind));
    if (kind == KRU_STEP_QUESTION) break;
    CHECK(step_once(s, now, &st));
    now += 1000;
  }
  CHECK(kind == KRU_STEP_QUESTION);
  bool offered = true;
  OK(kru_session_question_dont_know(s, &offered));
  CHECK(!offered);
  size_t done_before, done_after, total;
  bool is_done;
  OK(kru_session_progress(s, &done_before, &total, &is_done));
  EXPECT(KRU_DONT_KNOW_NOT_OFFERED, kru_session_answer_dont_know(s, now));
  CHECK(last_error_contains("does not offer"));
  OK(kru_session_progress(s, &done_after, &total, &is_done));
  CHECK(done_after == done_before);
  EXPECT(KRU_NULL_ARGUMENT, kru_session_question_dont_know(s, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_answer_dont_know(NULL, now));
  kru_session_free(s);
}

static void test_school_journey_every_kind(void) {
  kru_session *s = start("school", "km-KH", 7);
  kru_str tag;
  OK(kru_session_language(s, &tag));
  CHECK(str_eq(tag, "km"));
  int64_t now = T0;
  walk_stats st;
  memset(&st, 0, sizeof st);
  walk(s, &now, &st);
  for (int t = KRU_ANSWER_CHOICE; t <= KRU_ANSWER_SCALE; t++) {
    if (st.answer_types[t] == 0) fprintf(stderr, "  answer type %d never asked\n", t);
    CHECK(st.answer_types[t] > 0);
  }
  for (int k = KRU_STEP_INTAKE; k <= KRU_STEP_DONE; k++) CHECK(st.step_kinds[k] > 0);
  CHECK(st.intake_text > 0 && st.intake_choice > 0 && st.story_choices > 0 && st.story_endings > 0);
  kru_record *rec = NULL;
  OK(kru_session_finish(s, now, &rec));
  kru_bytes *json = NULL;
  kru_slice js;
  OK(kru_record_json(rec, &json));
  OK(kru_bytes_data(json, &js));
  kru_str view = {(const char *)js.data, js.len};
  CHECK(str_contains(view, "\"demographics\"") && str_contains(view, "\"sex\""));
  kru_bytes_free(json);
  kru_record_free(rec);
  kru_session_free(s);
}

static void test_languages_switch(void) {
  kru_session *s = start("kiosk", "en", 5);
  kru_str item, tag;
  kru_answer_type ex;
  kru_label en, km;
  size_t n, left;
  OK(kru_session_question(s, &item, &ex, &en, &n, &left));
  char saved[4096];
  size_t saved_len = en.text.len < sizeof saved ? en.text.len : sizeof saved;
  memcpy(saved, en.text.data, saved_len);
  kru_str langs[2] = {cstr("fr"), cstr("km")};
  OK(kru_session_set_languages(s, langs, 2));
  OK(kru_session_language(s, &tag));
  CHECK(str_eq(tag, "km"));
  OK(kru_session_question(s, &item, &ex, &km, &n, &left));
  CHECK(km.text.len > 0 && (km.text.len != saved_len || memcmp(km.text.data, saved, saved_len) != 0));
  kru_session_free(s);
}

static kru_bytes *snapshot_of(const kru_session *s, kru_slice *view) {
  kru_bytes *b = NULL;
  OK(kru_session_snapshot(s, &b));
  OK(kru_bytes_data(b, view));
  return b;
}

static void test_snapshot_restore(void) {
  kru_session *s = start("school", "en", 99);
  int64_t now = T0;
  /* Go some way in: the intake and a few questions. */
  for (int i = 0; i < 9; i++) {
    step_once(s, now, NULL);
    now += 1000;
  }
  kru_slice snap;
  kru_bytes *b = snapshot_of(s, &snap);
  CHECK(snap.len > 14 && memcmp(snap.data, "KRUS", 4) == 0);
  kru_session *r = NULL;
  OK(kru_session_restore(g_dev_pack, snap.data, snap.len, &r));
  size_t d1, t1, d2, t2;
  bool f1, f2;
  OK(kru_session_progress(s, &d1, &t1, &f1));
  OK(kru_session_progress(r, &d2, &t2, &f2));
  CHECK(d1 == d2 && t1 == t2 && d1 > 0 && kind_of(s) == kind_of(r));
  /* The restored session goes on exactly like the original. */
  int64_t now2 = now;
  walk(s, &now, NULL);
  walk(r, &now2, NULL);
  kru_record *ra = NULL, *rb = NULL;
  OK(kru_session_finish(s, now, &ra));
  OK(kru_session_finish(r, now2, &rb));
  kru_bytes *ja = NULL, *jb = NULL;
  kru_slice va, vb;
  OK(kru_record_json(ra, &ja));
  OK(kru_record_json(rb, &jb));
  OK(kru_bytes_data(ja, &va));
  OK(kru_bytes_data(jb, &vb));
  CHECK(va.len == vb.len && memcmp(va.data, vb.data, va.len) == 0);
  kru_bytes_free(ja);
  kru_bytes_free(jb);
  kru_record_free(ra);
  kru_record_free(rb);
  kru_session_free(r);
  r = NULL;

  /* Damaged snapshots: every truncation, every flipped byte, garbage. */
  size_t refused = 0;
  for (size_t len = 0; len < snap.len; len++) {
    kru_result res = kru_session_restore(g_dev_pack, snap.data, len, &r);
    refused += (res == KRU_BAD_SNAPSHOT);
  }
  CHECK(refused == snap.len);
  uint8_t *dam = malloc(snap.len);
  refused = 0;
  for (size_t i = 0; i < snap.len; i++) {
    memcpy(dam, snap.data, snap.len);
    dam[i] ^= 0x21;
    kru_result res = kru_session_restore(g_dev_pack, dam, snap.len, &r);
    refused += (res == KRU_BAD_SNAPSHOT);
  }
  CHECK(refused == snap.len);
  /* A checksum-correct snapshot with a forged payload. */
  memcpy(dam, snap.data, snap.len);
  dam[20] ^= 0x7F;
  wr32(dam + snap.len - 4, crc32_ieee(dam, snap.len - 4));
  kru_result res = kru_session_restore(g_dev_pack, dam, snap.len, &r);
  CHECK(res == KRU_BAD_SNAPSHOT || res == KRU_OK);
  if (res == KRU_OK) {
    /* Whatever it decoded to passed every check: it must be safe to run to the end. */
    int64_t t = T0;
    walk(r, &t, NULL);
    kru_session_free(r);
    r = NULL;
  }
  free(dam);
  EXPECT(KRU_BAD_SNAPSHOT, kru_session_restore(g_dev_pack, g_pack.data, g_pack.len, &r));
  CHECK(last_error_contains("cannot restore snapshot"));
  CHECK(r == NULL);
  kru_bytes_free(b);
  kru_session_free(s);
}

static int write_file(const char *path, const uint8_t *data, size_t len, const char *mode) {
  FILE *f = fopen(path, mode);
  if (!f) return 0;
  size_t w = fwrite(data, 1, len, f);
  return fclose(f) == 0 && w == len;
}

static kru_record *finished_record(const char *journey, uint64_t seed, int abandon_after) {
  kru_session *s = start(journey, "en", seed);
  int64_t now = T0 + (int64_t)seed * 1000;
  kru_record *rec = NULL;
  if (abandon_after > 0) {
    for (int i = 0; i < abandon_after; i++) step_once(s, now, NULL);
    OK(kru_session_abandon(s, now, &rec));
  } else {
    walk(s, &now, NULL);
    OK(kru_session_finish(s, now, &rec));
  }
  kru_session_free(s);
  return rec;
}

static void append_frame(buffer *log, const kru_record *rec) {
  kru_bytes *frame = NULL;
  kru_slice f;
  OK(kru_record_log_frame(rec, &frame));
  OK(kru_bytes_data(frame, &f));
  log->data = realloc(log->data, log->len + f.len);
  memcpy(log->data + log->len, f.data, f.len);
  log->len += f.len;
  kru_bytes_free(frame);
}

static void test_results_log(void) {
  kru_record *recs[3] = {finished_record("kiosk", 11, 0), finished_record("kiosk", 12, 4),
                         finished_record("school", 13, 0)};
  /* Append the records to a log file on disk, read it back. */
  char path[4096];
  snprintf(path, sizeof path, "%s/results.krulog", g_tmpdir);
  remove(path);
  for (int i = 0; i < 3; i++) {
    kru_bytes *frame = NULL;
    kru_slice f;
    OK(kru_record_log_frame(recs[i], &frame));
    OK(kru_bytes_data(frame, &f));
    CHECK(write_file(path, f.data, f.len, "ab"));
    kru_bytes_free(frame);
  }
  buffer disk = read_file(path);
  kru_log *log = NULL;
  size_t nr, nd, nu;
  OK(kru_log_read(disk.data, disk.len, &log));
  OK(kru_log_counts(log, &nr, &nd, &nu));
  CHECK(nr == 3 && nd == 0 && nu == 0);
  bool completed[3];
  for (size_t i = 0; i < nr; i++) {
    kru_record *r = NULL;
    int64_t s, e;
    size_t n;
    OK(kru_log_record(log, i, &r));
    OK(kru_record_outcome(r, &completed[i], &s, &e, &n));
    kru_slice a, b;
    OK(kru_record_id(r, &a));
    OK(kru_record_id(recs[i], &b));
    CHECK(a.len == 16 && memcmp(a.data, b.data, 16) == 0);
    kru_record_free(r);
  }
  CHECK(completed[0] && !completed[1] && completed[2]);
  kru_record *none = NULL;
  EXPECT(KRU_OUT_OF_RANGE, kru_log_record(log, 3, &none));
  CHECK(none == NULL);
  kru_str text;
  OK(kru_log_describe(log, &text));
  CHECK(str_eq(text, "3 records"));
  kru_log_free(log);

  /* A torn last write (power cut): recovered up to it; append after truncating to the offset. */
  size_t off = 0;
  OK(kru_log_append_offset(disk.data, disk.len, &off));
  CHECK(off == disk.len);
  buffer torn = copy(disk);
  torn.data = realloc(torn.data, torn.len + 30);
  kru_bytes *frame = NULL;
  kru_slice f;
  OK(kru_record_log_frame(recs[0], &frame));
  OK(kru_bytes_data(frame, &f));
  memcpy(torn.data + torn.len, f.data, 30);
  torn.len += 30;
  kru_bytes_free(frame);
  OK(kru_log_read(torn.data, torn.len, &log));
  OK(kru_log_counts(log, &nr, &nd, &nu));
  CHECK(nr == 3 && nd == 1);
  size_t doff, dlen;
  OK(kru_log_damage(log, 0, &doff, &dlen));
  CHECK(doff == disk.len && dlen == 30);
  EXPECT(KRU_OUT_OF_RANGE, kru_log_damage(log, 1, &doff, &dlen));
  kru_log_free(log);
  OK(kru_log_append_offset(torn.data, torn.len, &off));
  CHECK(off == disk.len);

  /* Damage in the middle: the records after it are still found. */
  buffer mid = copy(disk);
  mid.data[disk.len / 2] ^= 0xFF;
  OK(kru_log_read(mid.data, mid.len, &log));
  OK(kru_log_counts(log, &nr, &nd, &nu));
  CHECK(nr == 2 && nd == 1);
  kru_log_free(log);

  /* Merging two kiosks' logs drops duplicates. */
  buffer other = {NULL, 0};
  append_frame(&other, recs[2]);
  append_frame(&other, recs[0]);
  kru_slice logs[3] = {{disk.data, disk.len}, {other.data, other.len}, {torn.data, torn.len}};
  kru_bytes *merged = NULL;
  kru_slice mv;
  OK(kru_log_merge(logs, 3, &merged));
  OK(kru_bytes_data(merged, &mv));
  OK(kru_log_read(mv.data, mv.len, &log));
  OK(kru_log_counts(log, &nr, &nd, &nu));
  CHECK(nr == 3 && nd == 0);
  kru_log_free(log);
  kru_bytes_free(merged);
  logs[0].data = NULL;
  logs[0].len = 5;
  EXPECT(KRU_NULL_ARGUMENT, kru_log_merge(logs, 1, &merged));
  CHECK(last_error_contains("logs[0]"));
  OK(kru_log_merge(NULL, 0, &merged));
  OK(kru_bytes_data(merged, &mv));
  CHECK(mv.len == 0 && mv.data != NULL);
  kru_bytes_free(merged);

  /* Garbage and empty logs are read, not fatal. */
  OK(kru_log_read(g_pack.data, 5000, &log));
  OK(kru_log_counts(log, &nr, &nd, &nu));
  CHECK(nr == 0 && nd == 1);
  kru_log_free(log);
  OK(kru_log_read(NULL, 0, &log));
  OK(kru_log_counts(log, &nr, &nd, &nu));
  CHECK(nr == 0 && nd == 0);
  kru_log_free(log);

  free(other.data);
  free(mid.data);
  free(torn.data);
  free(disk.data);
  remove(path);
  for (int i = 0; i < 3; i++) kru_record_free(recs[i]);
}

/* Reads `log` through kru_log_reader in chunks of `chunk` bytes; returns the records it gave
   and writes the counts. */
static size_t read_in_chunks(const buffer *log, size_t chunk, size_t *damaged, uint64_t *dbytes,
                             kru_record **first) {
  kru_log_reader *rd = NULL;
  OK(kru_log_reader_new(&rd));
  size_t got = 0;
  for (size_t at = 0;; at += chunk) {
    if (at < log->len) {
      size_t n = log->len - at < chunk ? log->len - at : chunk;
      OK(kru_log_reader_feed(rd, log->data + at, n));
    } else {
      OK(kru_log_reader_finish(rd));
    }
    for (;;) {
      kru_record *r = NULL;
      OK(kru_log_reader_next(rd, &r));
      if (r == NULL) break;
      if (got == 0 && first != NULL)
        *first = r;
      else
        kru_record_free(r);
      got++;
    }
    if (at >= log->len) break;
  }
  size_t records = 0;
  OK(kru_log_reader_counts(rd, &records, damaged, dbytes, NULL));
  CHECK(records == got);
  /* Finished: more input is refused with a message; NULL out-pointers are allowed. */
  EXPECT(KRU_INVALID_ARGUMENT, kru_log_reader_feed(rd, log->data, 0));
  CHECK(last_error_contains("finished"));
  OK(kru_log_reader_counts(rd, NULL, NULL, NULL, NULL));
  kru_log_reader_free(rd);
  return got;
}

static void test_log_reader_in_chunks(void) {
  buffer log = {NULL, 0};
  kru_record *recs[3] = {finished_record("kiosk", 21, 0), finished_record("kiosk", 22, 3),
                         finished_record("school", 23, 0)};
  for (int i = 0; i < 3; i++) append_frame(&log, recs[i]);
  size_t chunks[] = {1, 7, 100, 4096, 1 << 20};
  for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
    size_t nd = 9;
    uint64_t nb = 9;
    kru_record *first = NULL;
    CHECK(read_in_chunks(&log, chunks[c], &nd, &nb, &first) == 3 && nd == 0 && nb == 0);
    kru_slice a, b;
    OK(kru_record_id(first, &a));
    OK(kru_record_id(recs[0], &b));
    CHECK(a.len == 16 && memcmp(a.data, b.data, 16) == 0);
    kru_record_free(first);
  }
  /* A torn last write: the records before it, and its bytes as one damaged stretch. */
  buffer torn = copy(log);
  size_t whole = torn.len;
  torn.len -= 25;
  for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
    size_t nd = 0;
    uint64_t nb = 0;
    CHECK(read_in_chunks(&torn, chunks[c], &nd, &nb, NULL) == 2 && nd == 1);
    kru_log *l = NULL;
    size_t nr, ld, nu, doff, dlen;
    OK(kru_log_read(torn.data, torn.len, &l));
    OK(kru_log_counts(l, &nr, &ld, &nu));
    OK(kru_log_damage(l, 0, &doff, &dlen));
    CHECK(nb == dlen && doff + dlen == whole - 25);
    kru_log_free(l);
  }
  /* Bad arguments. */
  kru_log_reader *rd = NULL;
  EXPECT(KRU_NULL_ARGUMENT, kru_log_reader_new(NULL));
  OK(kru_log_reader_new(&rd));
  EXPECT(KRU_NULL_ARGUMENT, kru_log_reader_feed(rd, NULL, 3));
  OK(kru_log_reader_feed(rd, NULL, 0));
  EXPECT(KRU_NULL_ARGUMENT, kru_log_reader_next(rd, NULL));
  EXPECT(KRU_INVALID_HANDLE, kru_log_reader_next((kru_log_reader *)recs[0], NULL));
  OK(kru_log_reader_finish(rd));
  EXPECT(KRU_INVALID_ARGUMENT, kru_log_reader_finish(rd));
  kru_log_reader_free(rd);
  kru_log_reader_free(NULL);
  free(torn.data);
  free(log.data);
  for (int i = 0; i < 3; i++) kru_record_free(recs[i]);
}

static void test_cohort_report(void) {
  buffer log = {NULL, 0};
  for (uint64_t i = 0; i < 6; i++) {
    kru_record *r = finished_record("kiosk", 100 + i, i == 5 ? 3 : 0);
    append_frame(&log, r);
    kru_record_free(r);
  }
  kru_bytes *json = NULL;
  kru_slice v;
  OK(kru_report_json(g_dev_pack, log.data, log.len, NULL, 0, &json));
  OK(kru_bytes_data(json, &v));
  kru_str view = {(const char *)v.data, v.len};
  CHECK(v.len > 100 && v.data[0] == '{');
  CHECK(str_contains(view, "\"schema_version\":1") && str_contains(view, "\"safe-migration\""));
  CHECK(str_contains(view, "\"accepted\":6"));
  kru_bytes_free(json);
  const char *by_sex = "{\"by\": \"sex\", \"journey\": \"kiosk\", \"min_n\": 2}";
  OK(kru_report_json(g_dev_pack, log.data, log.len, by_sex, strlen(by_sex), &json));
  OK(kru_bytes_data(json, &v));
  view.data = (const char *)v.data;
  view.len = v.len;
  CHECK(str_contains(view, "\"by\":\"sex\""));
  kru_bytes_free(json);
  json = NULL;
  /* Small cells: with a threshold of 7, the group of six is withheld; with 1, nothing is. */
  const char *cells7 = "{\"by\": \"sex\", \"journey\": \"kiosk\", \"small_group\": 7}";
  OK(kru_report_json(g_dev_pack, log.data, log.len, cells7, strlen(cells7), &json));
  OK(kru_bytes_data(json, &v));
  view.data = (const char *)v.data;
  view.len = v.len;
  CHECK(str_contains(view, "\"suppressed\":true") && str_contains(view, "\"code\":\"small_group\""));
  kru_bytes_free(json);
  json = NULL;
  const char *every_cell = "{\"by\": \"sex\", \"journey\": \"kiosk\", \"small_group\": 1}";
  OK(kru_report_json(g_dev_pack, log.data, log.len, every_cell, strlen(every_cell), &json));
  OK(kru_bytes_data(json, &v));
  view.data = (const char *)v.data;
  view.len = v.len;
  CHECK(str_contains(view, "\"small_group\":1") && !str_contains(view, "\"suppressed\":true"));
  kru_bytes_free(json);
  json = NULL;
  /* An empty log gives an empty report, not an error. */
  OK(kru_report_json(g_dev_pack, NULL, 0, "", 0, &json));
  kru_bytes_free(json);
  json = NULL;
  const char *bad_field = "{\"by\": \"shoe-size\"}";
  EXPECT(KRU_REPORT_UNKNOWN_FIELD, kru_report_json(g_dev_pack, log.data, log.len, bad_field, strlen(bad_field), &json));
  CHECK(last_error_contains("shoe-size"));
  const char *bad_journey = "{\"journey\": \"museum\"}";
  EXPECT(KRU_UNKNOWN_JOURNEY, kru_report_json(g_dev_pack, log.data, log.len, bad_journey, strlen(bad_journey), &json));
  EXPECT(KRU_INVALID_ARGUMENT, kru_report_json(g_dev_pack, log.data, log.len, "{nope", 5, &json));
  CHECK(last_error_contains("options_json"));
  EXPECT(KRU_INVALID_ARGUMENT, kru_report_json(g_dev_pack, log.data, log.len, "{\"min_n\": \"ten\"}", 16, &json));
  CHECK(json == NULL);
  /* Garbage instead of a log: counted as damage. */
  OK(kru_report_json(g_dev_pack, g_pack.data, 3000, NULL, 0, &json));
  kru_bytes_free(json);
  free(log.data);
}

/* The bytes of a kru_bytes as a string view (valid until freed). */
static kru_str bytes_view(const kru_bytes *b) {
  kru_slice v;
  OK(kru_bytes_data(b, &v));
  kru_str s = {(const char *)v.data, v.len};
  return s;
}

static size_t count_lines(kru_str s) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < s.len; i++)
    if (s.data[i] == '\r' && s.data[i + 1] == '\n') n++;
  return n;
}

static void test_report_renderings(void) {
  buffer log = {NULL, 0};
  size_t responses = 0, count;
  bool completed;
  int64_t started, ended;
  for (uint64_t i = 0; i < 3; i++) {
    kru_record *r = finished_record("kiosk", 200 + i, 0);
    OK(kru_record_outcome(r, &completed, &started, &ended, &count));
    responses += count;
    append_frame(&log, r);
    kru_record_free(r);
  }
  /* A learner code that a spreadsheet would run as a formula. */
  kru_session *s = NULL;
  kru_record *r = NULL;
  int64_t now = T0;
  OK(kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, 7, "=1+2", 4, T0, &s));
  walk(s, &now, NULL);
  OK(kru_session_finish(s, now, &r));
  OK(kru_record_outcome(r, &completed, &started, &ended, &count));
  responses += count;
  append_frame(&log, r);
  kru_record_free(r);
  kru_session_free(s);

  /* The HTML page: the pack's default language (English), or the best of the preferred. */
  kru_bytes *out = NULL;
  OK(kru_report_html(g_dev_pack, log.data, log.len, NULL, 0, NULL, 0, &out));
  kru_str page = bytes_view(out);
  CHECK(page.len > 1000 && memcmp(page.data, "<!DOCTYPE html>\n", 16) == 0);
  CHECK(memcmp(page.data + page.len - 8, "</html>\n", 8) == 0);
  CHECK(str_contains(page, "<span lang=\"en\" dir=\"ltr\">Safe migration"));
  CHECK(str_contains(page, "Made with kru " KRU_VERSION " · report schema 1"));
  kru_bytes_free(out);
  out = NULL;
  kru_str prefer[2] = {cstr("fr"), cstr("km-KH")};
  OK(kru_report_html(g_dev_pack, log.data, log.len, NULL, 0, prefer, 2, &out));
  CHECK(str_contains(bytes_view(out), "<span lang=\"km\" dir=\"ltr\">"));
  kru_bytes_free(out);
  out = NULL;

  /* The summary table: one number per row. */
  OK(kru_report_csv(g_dev_pack, log.data, log.len, NULL, 0, &out));
  kru_str summary = bytes_view(out);
  CHECK(str_contains(summary, "field,group,section,subject,phase,statistic,value\r\n"));
  CHECK(str_contains(summary, "\r\n,all,learners,,,records,4\r\n"));
  CHECK(str_contains(summary, "\r\n,all,paired,,change,t,"));
  kru_bytes_free(out);
  out = NULL;

  /* The responses table: a header, a row per learner per item, formulas neutralised. */
  OK(kru_report_responses_csv(g_dev_pack, log.data, log.len, NULL, 0, &out));
  kru_str rows = bytes_view(out);
  CHECK(memcmp(rows.data, "record_id,learner,journey,", 26) == 0);
  CHECK(count_lines(rows) == 1 + responses);
  CHECK(str_contains(rows, ",\"'=1+2\",kiosk,"));
  CHECK(!str_contains(rows, ",=1+2,"));
  kru_bytes_free(out);
  out = NULL;
  const char *school = "{\"journey\": \"school\"}";
  OK(kru_report_responses_csv(g_dev_pack, log.data, log.len, school, strlen(school), &out));
  CHECK(count_lines(bytes_view(out)) == 1);
  kru_bytes_free(out);
  out = NULL;

  /* The errors of kru_report_json(); the out-pointer is untouched. */
  const char *bad_field = "{\"by\": \"shoe-size\"}";
  EXPECT(KRU_REPORT_UNKNOWN_FIELD, kru_report_html(g_dev_pack, log.data, log.len, bad_field, strlen(bad_field), NULL, 0, &out));
  CHECK(last_error_contains("kru_report_html: the pack has no intake field 'shoe-size'"));
  EXPECT(KRU_REPORT_UNKNOWN_FIELD, kru_report_csv(g_dev_pack, log.data, log.len, bad_field, strlen(bad_field), &out));
  EXPECT(KRU_REPORT_UNKNOWN_FIELD, kru_report_responses_csv(g_dev_pack, log.data, log.len, bad_field, strlen(bad_field), &out));
  const char *museum = "{\"journey\": \"museum\"}";
  EXPECT(KRU_UNKNOWN_JOURNEY, kru_report_responses_csv(g_dev_pack, log.data, log.len, museum, strlen(museum), &out));
  EXPECT(KRU_INVALID_ARGUMENT, kru_report_csv(g_dev_pack, log.data, log.len, "{nope", 5, &out));
  kru_str bad_lang[1] = {{"\xff", 1}};
  EXPECT(KRU_INVALID_UTF8, kru_report_html(g_dev_pack, log.data, log.len, NULL, 0, bad_lang, 1, &out));
  CHECK(last_error_contains("languages[0]"));
  EXPECT(KRU_NULL_ARGUMENT, kru_report_html(g_dev_pack, log.data, log.len, NULL, 0, NULL, 2, &out));
  EXPECT(KRU_NULL_ARGUMENT, kru_report_csv(g_dev_pack, log.data, log.len, NULL, 0, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_report_responses_csv(NULL, log.data, log.len, NULL, 0, &out));
  EXPECT(KRU_INVALID_HANDLE, kru_report_csv((const kru_pack *)log.data, log.data, log.len, NULL, 0, &out));
  CHECK(out == NULL);
  /* Garbage instead of a log: counted as damage, a header without rows. */
  OK(kru_report_responses_csv(g_dev_pack, g_pack.data, 3000, NULL, 0, &out));
  CHECK(count_lines(bytes_view(out)) == 1);
  kru_bytes_free(out);
  free(log.data);
}

static void test_xapi_statements(void) {
  const char *home = "https://kru.example.org/pilot";
  kru_record *done = finished_record("kiosk", 300, 0);
  kru_record *left = finished_record("kiosk", 301, 4);
  kru_bytes *a = NULL, *b = NULL;
  kru_slice va, vb;
  OK(kru_record_xapi_json(done, g_dev_pack, home, strlen(home), "0123456789abcdef", 16, &a));
  OK(kru_record_xapi_json(done, g_dev_pack, home, strlen(home), "0123456789abcdef", 16, &b));
  OK(kru_bytes_data(a, &va));
  OK(kru_bytes_data(b, &vb));
  /* The same record gives the same statements (deterministic ids: no duplicates in an LRS). */
  CHECK(va.len == vb.len && memcmp(va.data, vb.data, va.len) == 0);
  kru_str view = {(const char *)va.data, va.len};
  CHECK(va.len > 100 && va.data[0] == '[');
  CHECK(str_contains(view, "\"homePage\":\"https://kru.example.org/pilot\""));
  CHECK(str_contains(view, "http://adlnet.gov/expapi/verbs/answered"));
  CHECK(str_contains(view, "http://adlnet.gov/expapi/verbs/completed"));
  CHECK(str_contains(view, "\"interactionType\":"));
  CHECK(str_contains(view, "https://w3id.org/xapi/kru/extensions/pack-signer\":\"0123456789abcdef\""));
  CHECK(!str_contains(view, "mbox"));
  kru_bytes_free(a);
  kru_bytes_free(b);
  /* An abandoned session ends with `abandoned`; no signer given, none written. */
  a = NULL;
  OK(kru_record_xapi_json(left, g_dev_pack, home, strlen(home), NULL, 0, &a));
  OK(kru_bytes_data(a, &va));
  view.data = (const char *)va.data;
  view.len = va.len;
  CHECK(str_contains(view, "https://w3id.org/xapi/adl/verbs/abandoned"));
  CHECK(!str_contains(view, "pack-signer"));
  kru_bytes_free(a);
  /* Errors. */
  a = NULL;
  EXPECT(KRU_XAPI_BAD_HOME_PAGE, kru_record_xapi_json(done, g_dev_pack, "kru.example.org", 15, NULL, 0, &a));
  CHECK(last_error_contains("home page") && a == NULL);
  EXPECT(KRU_NULL_ARGUMENT, kru_record_xapi_json(NULL, g_dev_pack, home, strlen(home), NULL, 0, &a));
  EXPECT(KRU_NULL_ARGUMENT, kru_record_xapi_json(done, NULL, home, strlen(home), NULL, 0, &a));
  EXPECT(KRU_NULL_ARGUMENT, kru_record_xapi_json(done, g_dev_pack, home, strlen(home), NULL, 0, NULL));
  EXPECT(KRU_INVALID_UTF8, kru_record_xapi_json(done, g_dev_pack, home, strlen(home), "\xff", 1, &a));
  CHECK(a == NULL);
  kru_record_free(done);
  kru_record_free(left);
}

static void test_last_error_message(void) {
  kru_pack *p = NULL;
  char buf[8];
  size_t n = 99;
  EXPECT(KRU_PACK_BAD_MAGIC, load(NULL, 1, (const uint8_t *)"not a pack at all", 17, &p));
  /* Like errno, successful calls (here in load(): kru_trust_free) leave the message alone. */
  OK(kru_pack_journey_count(g_dev_pack, &n));
  /* Too small a buffer: the full length is reported, a truncated message copied (NUL-
   * terminated), the message kept. */
  memset(buf, 'x', sizeof buf);
  EXPECT(KRU_INSUFFICIENT_SIZE, kru_last_error_message(buf, sizeof buf, &n));
  CHECK(n > sizeof buf);
  CHECK(buf[sizeof buf - 1] == 0 && strcmp(buf, "kru_pac") == 0);
  EXPECT(KRU_INSUFFICIENT_SIZE, kru_last_error_message(NULL, 0, &n));
  char *big = malloc(n + 1);
  size_t m = 0;
  OK(kru_last_error_message(big, n + 1, &m));
  CHECK(m == n && big[n] == 0 && strstr(big, "kru_pack_load: not a kru pack") == big);
  /* One byte short (no room for the NUL): all but the last byte, and the full length. */
  EXPECT(KRU_INSUFFICIENT_SIZE, kru_last_error_message(big, n, &m));
  CHECK(m == n && strlen(big) == n - 1);
  free(big);
  /* A cut never falls inside a UTF-8 character: a Khmer journey id (3 bytes a letter). */
  kru_session *s = NULL;
  const char *khmer = "ក្រុម"; /* not a journey of the pack */
  EXPECT(KRU_UNKNOWN_JOURNEY,
         kru_session_start(g_dev_pack, khmer, strlen(khmer), NULL, 0, 1, "L", 1, T0, &s));
  char full[256];
  OK(kru_last_error_message(full, sizeof full, &n));
  const char *at = strstr(full, khmer);
  CHECK(at != NULL);
  if (at != NULL) {
    size_t start = (size_t)(at - full);
    for (size_t cut = start + 1; cut < start + 3; cut++) {
      char small[256];
      memset(small, 'x', sizeof small);
      EXPECT(KRU_INSUFFICIENT_SIZE, kru_last_error_message(small, cut + 1, &m));
      CHECK(m == n && strlen(small) == start); /* cut back to the character's start */
    }
    char exact[256];
    EXPECT(KRU_INSUFFICIENT_SIZE, kru_last_error_message(exact, start + 3 + 1, &m));
    CHECK(strlen(exact) == start + 3 && memcmp(exact + start, khmer, 3) == 0);
  }
}

/* ---- ABI 2: out-pointers a caller does not want, the done step, trust from hex ---- */

static void test_optional_out_pointers(void) {
  kru_session *s = start("school", "en", 11);
  int64_t now = T0;
  int pages = 0, feedbacks = 0;
  for (int i = 0; i < 2000; i++) {
    kru_step_kind k = kind_of(s);
    if (k == KRU_STEP_DONE) break;
    if (k == KRU_STEP_PAGE) {
      size_t blocks = 0;
      OK(kru_session_page(s, NULL, NULL, NULL, NULL, NULL, &blocks));
      CHECK(blocks > 0);
      kru_block_kind bk = 0;
      /* Only the kind, then only the entry count: the other five may be NULL. */
      OK(kru_session_page_block(s, 0, &bk, NULL, NULL, NULL, NULL, NULL));
      CHECK(bk >= KRU_BLOCK_HEADING && bk <= KRU_BLOCK_RESOURCE);
      size_t entries = 99;
      OK(kru_session_page_block(s, 0, NULL, NULL, NULL, NULL, NULL, &entries));
      CHECK(entries != 99);
      OK(kru_session_page_block(s, 0, NULL, NULL, NULL, NULL, NULL, NULL));
      EXPECT(KRU_OUT_OF_RANGE, kru_session_page_block(s, blocks, NULL, NULL, NULL, NULL, NULL, NULL));
      pages++;
    }
    if (k == KRU_STEP_FEEDBACK) {
      bool correct = false;
      float credit = -1.0f;
      OK(kru_session_feedback(s, NULL, &correct, NULL, NULL, NULL, NULL));
      OK(kru_session_feedback(s, NULL, NULL, &credit, NULL, NULL, NULL));
      CHECK(credit >= 0.0f && credit <= 1.0f && (correct ? credit == 1.0f : 1));
      feedbacks++;
    }
    CHECK(step_once(s, now, NULL));
    now += 1000;
  }
  CHECK(pages > 0 && feedbacks > 0);
  /* The single out-pointer of a one-output function is still required. */
  EXPECT(KRU_NULL_ARGUMENT, kru_session_step_kind(s, NULL));
  EXPECT(KRU_NULL_ARGUMENT, kru_session_is_finished(s, NULL));
  kru_session_free(s);
}

static void test_done_step_points_to_finish(void) {
  kru_session *s = start("kiosk", "en", 42);
  int64_t now = T0;
  bool finished = true;
  OK(kru_session_is_finished(s, &finished));
  CHECK(!finished);
  walk(s, &now, NULL); /* the walk checks answer and advance at the done step */
  CHECK(kind_of(s) == KRU_STEP_DONE);
  EXPECT(KRU_JOURNEY_COMPLETE, kru_session_answer_text(s, "x", 1, now));
  EXPECT(KRU_JOURNEY_COMPLETE, kru_session_answer_bool(s, true, now));
  CHECK(!strcmp(kru_result_name(KRU_JOURNEY_COMPLETE), "KRU_JOURNEY_COMPLETE"));
  kru_record *rec = NULL;
  OK(kru_session_finish(s, now, &rec));
  OK(kru_session_is_finished(s, &finished));
  CHECK(finished);
  /* After finish: ended, for answer and advance alike. */
  EXPECT(KRU_SESSION_ENDED, kru_session_advance(s, now));
  EXPECT(KRU_SESSION_ENDED, kru_session_answer_choice(s, 0, now));
  kru_record_free(rec);
  /* A snapshot of a finished session restores finished. */
  kru_bytes *snap = NULL;
  kru_slice v;
  OK(kru_session_snapshot(s, &snap));
  OK(kru_bytes_data(snap, &v));
  kru_session *r = NULL;
  OK(kru_session_restore(g_dev_pack, v.data, v.len, &r));
  finished = false;
  OK(kru_session_is_finished(r, &finished));
  CHECK(finished);
  kru_session_free(r);
  kru_bytes_free(snap);
  kru_session_free(s);
  /* Abandoned mid-way: finished too. */
  s = start("kiosk", "en", 43);
  OK(kru_session_abandon(s, T0, &rec));
  OK(kru_session_is_finished(s, &finished));
  CHECK(finished);
  kru_record_free(rec);
  kru_session_free(s);
}

static void test_trust_key_hex(void) {
  char hex[80];
  for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", g_signer_key[i]);
  strcpy(hex + 64, "\n"); /* as `kru keygen` writes the .pub file */
  kru_trust *t = NULL;
  OK(kru_trust_new(&t));
  OK(kru_trust_add_key_hex(t, hex, strlen(hex)));
  kru_pack *p = NULL;
  OK(kru_pack_load(t, g_signed.data, g_signed.len, &p));
  kru_pack_free(p);
  EXPECT(KRU_INVALID_ARGUMENT, kru_trust_add_key_hex(t, hex, 63));
  CHECK(last_error_contains("64 hex digits"));
  hex[10] = 'g';
  EXPECT(KRU_INVALID_ARGUMENT, kru_trust_add_key_hex(t, hex, 64));
  EXPECT(KRU_INVALID_UTF8, kru_trust_add_key_hex(t, "\xff", 1));
  EXPECT(KRU_NULL_ARGUMENT, kru_trust_add_key_hex(t, NULL, 64));
  kru_trust_free(t);
  /* Without the key the signed pack is refused: the hex really was the signer's key. */
  OK(kru_trust_new(&t));
  p = NULL;
  EXPECT(KRU_PACK_UNTRUSTED_SIGNER, kru_pack_load(t, g_signed.data, g_signed.len, &p));
  kru_trust_free(t);
}

/* ---- threads: a shared pack, a session per thread, per-thread error messages ---- */

static void *thread_body(void *arg) {
  intptr_t id = (intptr_t)arg;
  int ok = 1;
  for (int round = 0; round < 3; round++) {
    kru_session *s = NULL;
    if (kru_session_start(g_dev_pack, "kiosk", 5, NULL, 0, (uint64_t)(id * 10 + round), "T", 1, T0,
                          &s) != KRU_OK)
      return (void *)0;
    /* An error on this thread only. */
    if (kru_session_advance(s, T0) != KRU_ANSWER_REQUIRED) ok = 0;
    char m[512];
    size_t n;
    if (kru_last_error_message(m, sizeof m, &n) != KRU_OK || strstr(m, "kru_session_advance") == NULL)
      ok = 0;
    kru_step_kind k = 0;
    int guard = 0;
    while (kru_session_step_kind(s, &k) == KRU_OK && k != KRU_STEP_DONE && guard++ < 200) {
      kru_str item;
      kru_answer_type ex;
      kru_label prompt;
      size_t on, left;
      if (k == KRU_STEP_QUESTION && kru_session_question(s, &item, &ex, &prompt, &on, &left) == KRU_OK) {
        if (ex == KRU_ANSWER_TRUE_FALSE)
          kru_session_answer_bool(s, false, T0);
        else if (ex == KRU_ANSWER_TEXT)
          kru_session_answer_text(s, "1288", 4, T0);
        else
          kru_session_answer_choice(s, 0, T0);
      } else {
        kru_session_advance(s, T0);
      }
    }
    kru_record *rec = NULL;
    if (kru_session_finish(s, T0, &rec) != KRU_OK) ok = 0;
    kru_record_free(rec);
    kru_session_free(s);
  }
  return (void *)(intptr_t)ok;
}

static void test_threads_share_a_pack(void) {
  pthread_t th[4];
  for (intptr_t i = 0; i < 4; i++) CHECK(pthread_create(&th[i], NULL, thread_body, (void *)i) == 0);
  /* This thread's last error is its own. */
  kru_step_kind k;
  EXPECT(KRU_NULL_ARGUMENT, kru_session_step_kind(NULL, &k));
  for (int i = 0; i < 4; i++) {
    void *ret = NULL;
    CHECK(pthread_join(th[i], &ret) == 0);
    CHECK(ret == (void *)1);
  }
  CHECK(last_error_contains("kru_session_step_kind: argument `session` is NULL"));
}


/* The second bundled pack, in Lao: the interface strings come from the pack's own
 * [interface] table, then kru's built-in ones; Lao digits are read as numbers. */
static void test_second_script_lao(void) {
  kru_pack *lao = NULL;
  OK(load(NULL, 1, g_lao.data, g_lao.len, &lao));
  kru_str lo[1] = {cstr("lo-LA")};
  kru_ui *ui = NULL;
  OK(kru_ui_new(lao, lo, 1, &ui));
  kru_str t;
  OK(kru_ui_get(ui, "playTrue", 8, &t));
  CHECK(str_eq(t, "ຖືກ"));
  OK(kru_ui_get(ui, "appName", 7, &t)); /* not in the pack's Lao, no built-in Lao: English */
  CHECK(str_eq(t, "kru"));
  EXPECT(KRU_INVALID_ARGUMENT, kru_ui_get(ui, "noSuchString", 12, &t));
  CHECK(last_error_contains("no interface string 'noSuchString'"));
  OK(kru_ui_error(ui, KRU_BAD_LEARNER_CODE, &t));
  CHECK(str_contains(t, "ລະຫັດຜູ້ຮຽນ"));
  OK(kru_ui_error(ui, KRU_PACK_TRUNCATED, &t)); /* no message of its own: the general one */
  CHECK(str_contains(t, "ມີບາງຢ່າງຜິດພາດ"));
  kru_bytes *json = NULL;
  kru_slice js;
  OK(kru_ui_json(ui, &json));
  OK(kru_bytes_data(json, &js));
  kru_str jt = {(const char *)js.data, js.len};
  CHECK(js.len > 1000 && js.data[0] == '{' && str_contains(jt, "\"playTrue\":\"ຖືກ\""));
  kru_bytes_free(json);
  kru_ui_free(ui);

  /* Without a pack: the built-in Khmer. */
  kru_str km[1] = {cstr("km")};
  OK(kru_ui_new(NULL, km, 1, &ui));
  OK(kru_ui_get(ui, "playTrue", 8, &t));
  CHECK(str_eq(t, "ពិត"));
  kru_ui_free(ui);
  EXPECT(KRU_NULL_ARGUMENT, kru_ui_new(NULL, NULL, 0, NULL));

  /* A session in Lao: the numeric item answered in Lao digits is right. */
  kru_session *s = NULL;
  OK(kru_session_start(lao, "short", 5, lo, 1, 1, "ກ", strlen("ກ"), T0, &s));
  kru_str tag;
  OK(kru_session_language(s, &tag));
  CHECK(str_eq(tag, "lo"));
  int64_t now = T0;
  int numeric_seen = 0, numeric_right = 0;
  for (int i = 0; i < 200 && kind_of(s) != KRU_STEP_DONE; i++) {
    now += 1000;
    if (kind_of(s) == KRU_STEP_QUESTION) {
      kru_str item;
      kru_answer_type ex;
      kru_label prompt;
      size_t n, left;
      OK(kru_session_question(s, &item, &ex, &prompt, &n, &left));
      if (str_eq(item, "check-fee-months")) {
        OK(kru_session_answer_text(s, "໓", strlen("໓"), now));
        numeric_seen++;
        continue;
      }
    }
    if (kind_of(s) == KRU_STEP_FEEDBACK) { /* the post-test's review, after its score: right */
      kru_str fi;
      bool correct = false;
      float credit = 0;
      size_t nr;
      OK(kru_session_feedback(s, &fi, &correct, &credit, NULL, NULL, &nr));
      if (str_eq(fi, "check-fee-months")) {
        CHECK(correct && credit == 1.0f);
        numeric_right++;
      }
    }
    if (kind_of(s) == KRU_STEP_CARD) { /* step_once checks the safe-migration card */
      OK(kru_session_advance(s, now));
      continue;
    }
    step_once(s, now, NULL);
  }
  CHECK(numeric_seen == 2 && numeric_right == 1);
  kru_record *rec = NULL;
  OK(kru_session_finish(s, now, &rec));
  kru_record_free(rec);
  kru_session_free(s);
  kru_pack_free(lao);
}

/* ------------------------------------------------------------------------------------------ */

typedef struct {
  const char *name;
  void (*run)(void);
} test_case;

static const test_case TESTS[] = {
    {"versions and result codes", test_versions_and_codes},
    {"\"I don't know\" in the kiosk, refused in the school journey", test_dont_know},
    {"pack metadata: journeys and languages", test_pack_metadata},
    {"pack catalogue as JSON", test_pack_catalogue},
    {"trust policy: unsigned, trusted, untrusted, dev", test_trust_policy},
    {"hotline number changed by one digit is refused", test_hotline_digit_tamper},
    {"hostile pack bytes: garbage, magic, format, flags", test_hostile_pack_bytes},
    {"truncation at every offset", test_truncation_at_every_offset},
    {"huge declared lengths", test_huge_declared_lengths},
    {"null arguments", test_null_arguments},
    {"wrong handles", test_wrong_handles},
    {"invalid UTF-8", test_invalid_utf8},
    {"session start errors", test_start_errors},
    {"full kiosk journey, finish, double finish", test_full_kiosk_journey},
    {"school journey: every step and answer type", test_school_journey_every_kind},
    {"language switch mid-session", test_languages_switch},
    {"snapshot and restore, damaged snapshots", test_snapshot_restore},
    {"results log: append, read back, torn tail, merge", test_results_log},
    {"log reader: a log fed in chunks reads as a whole", test_log_reader_in_chunks},
    {"cohort report", test_cohort_report},
    {"report renderings", test_report_renderings},
    {"last error message, truncated at a character", test_last_error_message},
    {"optional out-pointers (page block, feedback)", test_optional_out_pointers},
    {"done step points to finish; is_finished", test_done_step_points_to_finish},
    {"trust a key from its hex text", test_trust_key_hex},
    {"xapi statements", test_xapi_statements},
    {"threads share a pack", test_threads_share_a_pack},
    {"second script: Lao pack, interface strings, Lao digits", test_second_script_lao},
};

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: %s PACK SIGNED_PACK SIGNER.pub OTHER.pub TMPDIR LAO_PACK\n", argv[0]);
    return 2;
  }
  g_pack = read_file(argv[1]);
  g_signed = read_file(argv[2]);
  buffer k1 = read_file(argv[3]), k2 = read_file(argv[4]);
  if (k1.len != 32 || k2.len != 32) {
    fprintf(stderr, "public keys must be 32 bytes\n");
    return 2;
  }
  memcpy(g_signer_key, k1.data, 32);
  memcpy(g_other_key, k2.data, 32);
  free(k1.data);
  free(k2.data);
  g_tmpdir = argv[5];
  g_lao = read_file(argv[6]);
  if (load(NULL, 1, g_pack.data, g_pack.len, &g_dev_pack) != KRU_OK) {
    fprintf(stderr, "cannot load the test pack\n");
    return 2;
  }

  int passed = 0, failed = 0;
  size_t n = sizeof TESTS / sizeof TESTS[0];
  for (size_t i = 0; i < n; i++) {
    g_test_failed = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    TESTS[i].run();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
    printf("%s %s (%ld ms)\n", g_test_failed ? "FAIL" : "ok  ", TESTS[i].name, ms);
    if (g_test_failed)
      failed++;
    else
      passed++;
  }
  kru_pack_free(g_dev_pack);
  free(g_pack.data);
  free(g_signed.data);
  free(g_lao.data);
  printf("(%d checks, %d failed)\n", g_checks, g_failed_checks);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
