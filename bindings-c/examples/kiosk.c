/*
 * kiosk.c: a complete terminal kiosk on libkru, in C11 + POSIX.
 *
 * A self-service kiosk in a commune hall: an attract screen, a language choice (ខ្មែរ /
 * English), the pack's `kiosk` journey (a short quiz, the key messages, the quiz again with
 * feedback, the hotline card), and the visitor's own result. Every result is appended to a
 * results log on disk (truncated to the last complete record first, then fsync'd). When a
 * visitor walks away, the idle timeout warns once, then abandons the session: the partial
 * record is still logged, the session is discarded and the kiosk goes back to the attract
 * screen.
 *
 * usage: kiosk PACK.krupack RESULTS.krulog [--idle SECONDS] [--key SIGNER.pub]...
 *              [--allow-unsigned] [--seed N] [--journey ID]
 *
 * Input is read line by line from stdin (so it also runs with piped input); `q` on the
 * attract screen quits (an operator's key). Build:
 *   cc -std=c11 -I bindings-c/include bindings-c/examples/kiosk.c -L target/debug -l:libkru.a \
 *      -lpthread -ldl -lm -o kiosk
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kru.h"

/* ------------------------------------------------------------------------------------------ */
/* The kiosk's own words: from the engine's catalogue of interface strings (kru_ui_*), the      */
/* same for every host: kru's built-in English and Khmer, and the pack's own [interface]       */
/* strings, which win for their language (so a Lao or Burmese pack brings its own words).      */

typedef struct {
  char *start, *choose_language, *next, *truth, *falsity, *right, *wrong, *answer_was, *type_number,
      *type_numbers, *type_order, *type_matches, *type_text, *try_again, *still_there, *timed_out,
      *thanks, *before, *after, *call, *question, *review;
} ui_words;

/* Each word's id in the catalogue (core/src/ui/en.toml). */
static const struct {
  const char *id;
  size_t offset;
} WORD_IDS[] = {
    {"kioskPressStart", offsetof(ui_words, start)},
    {"kioskChooseLanguage", offsetof(ui_words, choose_language)},
    {"kioskNext", offsetof(ui_words, next)},
    {"kioskTrue", offsetof(ui_words, truth)},
    {"kioskFalse", offsetof(ui_words, falsity)},
    {"kioskRight", offsetof(ui_words, right)},
    {"kioskWrong", offsetof(ui_words, wrong)},
    {"kioskAnswerWas", offsetof(ui_words, answer_was)},
    {"kioskTypeNumber", offsetof(ui_words, type_number)},
    {"kioskTypeNumbers", offsetof(ui_words, type_numbers)},
    {"kioskTypeOrder", offsetof(ui_words, type_order)},
    {"kioskTypeMatches", offsetof(ui_words, type_matches)},
    {"kioskTypeText", offsetof(ui_words, type_text)},
    {"kioskTryAgain", offsetof(ui_words, try_again)},
    {"kioskStillThere", offsetof(ui_words, still_there)},
    {"kioskNoOne", offsetof(ui_words, timed_out)},
    {"kioskThanks", offsetof(ui_words, thanks)},
    {"kioskBefore", offsetof(ui_words, before)},
    {"kioskAfter", offsetof(ui_words, after)},
    {"kioskCall", offsetof(ui_words, call)},
    {"kioskQuestion", offsetof(ui_words, question)},
    {"kioskReview", offsetof(ui_words, review)},
};
#define WORD_COUNT (sizeof WORD_IDS / sizeof WORD_IDS[0])

static char **word_slot(ui_words *w, size_t i) { return (char **)((char *)w + WORD_IDS[i].offset); }

static void free_words(ui_words *w) {
  for (size_t i = 0; i < WORD_COUNT; i++) {
    free(*word_slot(w, i));
    *word_slot(w, i) = NULL;
  }
}

/* Fills `w` with the words in language `tag` (NUL-terminated copies). Returns 0 on failure. */
static int load_words(ui_words *w, const kru_pack *pack, const char *tag, size_t tag_len) {
  kru_str lang = {tag, tag_len};
  kru_ui *u = NULL;
  if (kru_ui_new(pack, &lang, 1, &u) != KRU_OK) return 0;
  free_words(w);
  int ok = 1;
  for (size_t i = 0; i < WORD_COUNT; i++) {
    kru_str t = {NULL, 0};
    char *copy = NULL;
    if (kru_ui_get(u, WORD_IDS[i].id, strlen(WORD_IDS[i].id), &t) == KRU_OK &&
        (copy = malloc(t.len + 1)) != NULL) {
      memcpy(copy, t.data, t.len);
      copy[t.len] = 0;
    } else {
      ok = 0;
    }
    *word_slot(w, i) = copy;
  }
  kru_ui_free(u);
  return ok;
}

/* The attract screen's two languages, and the visitor's. */
static ui_words EN_WORDS, KM_WORDS, VISITOR_WORDS;
static const ui_words *ui = &EN_WORDS;

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                                */

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Prints a kru_str (UTF-8, not NUL-terminated). */
static void put(kru_str s) {
  if (s.data) fwrite(s.data, 1, s.len, stdout);
}

static void putl(const char *prefix, kru_label l) {
  fputs(prefix, stdout);
  put(l.text);
  if (l.audio.data) {
    fputs("  [audio: ", stdout);
    put(l.audio);
    fputs("]", stdout);
  }
  fputs("\n", stdout);
}

/* Reports an unexpected library failure and stops (a kiosk would restart itself). */
static void die(const char *what, kru_result r) {
  char msg[1024];
  size_t n = 0;
  if (kru_last_error_message(msg, sizeof msg, &n) != KRU_OK) msg[0] = 0;
  fprintf(stderr, "kiosk: %s failed: %s (%s)\n", what, kru_result_name(r), msg);
  exit(1);
}

#define TRY(call)                  \
  do {                             \
    kru_result r_ = (call);        \
    if (r_ != KRU_OK) die(#call, r_); \
  } while (0)

/* ---- line input with an idle timeout (poll on stdin; works for a terminal and a pipe) ---- */

static char inbuf[8192];
static size_t inlen = 0;
static int in_eof = 0;

enum { LINE_OK = 1, LINE_TIMEOUT = 0, LINE_EOF = -1 };

/* Reads one line (without its newline) into out. timeout_ms < 0 waits for ever. */
static int read_line(char *out, size_t cap, int timeout_ms) {
  int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
  for (;;) {
    char *nl = memchr(inbuf, '\n', inlen);
    if (nl || (in_eof && inlen > 0)) {
      size_t n = nl ? (size_t)(nl - inbuf) : inlen;
      size_t copy = n < cap - 1 ? n : cap - 1;
      memcpy(out, inbuf, copy);
      out[copy] = 0;
      if (copy > 0 && out[copy - 1] == '\r') out[copy - 1] = 0;
      size_t used = nl ? n + 1 : n;
      memmove(inbuf, inbuf + used, inlen - used);
      inlen -= used;
      return LINE_OK;
    }
    if (in_eof) return LINE_EOF;
    if (inlen == sizeof inbuf) inlen = 0; /* an absurdly long line: drop it */
    int wait = -1;
    if (deadline >= 0) {
      int64_t left = deadline - now_ms();
      if (left <= 0) return LINE_TIMEOUT;
      wait = (int)left;
    }
    struct pollfd p = {0, POLLIN, 0};
    int ready = poll(&p, 1, wait);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return LINE_TIMEOUT;
    ssize_t got = read(0, inbuf + inlen, sizeof inbuf - inlen);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0)
      in_eof = 1;
    else
      inlen += (size_t)got;
  }
}

/* ---- the results log on disk ---- */

/* Appends one record to the log: truncate a torn tail, append the frame, fsync. */
static int append_record(const char *path, const kru_record *rec) {
  int fd = open(path, O_RDWR | O_CREAT, 0644);
  if (fd < 0) return 0;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return 0;
  }
  size_t size = (size_t)st.st_size;
  uint8_t *old = malloc(size ? size : 1);
  size_t got = 0;
  while (got < size) {
    ssize_t n = pread(fd, old + got, size - got, (off_t)got);
    if (n <= 0) break;
    got += (size_t)n;
  }
  size_t offset = size;
  TRY(kru_log_append_offset(old, got, &offset));
  free(old);
  kru_bytes *frame = NULL;
  kru_slice f;
  TRY(kru_record_log_frame(rec, &frame));
  TRY(kru_bytes_data(frame, &f));
  int ok = ftruncate(fd, (off_t)offset) == 0;
  size_t done = 0;
  while (ok && done < f.len) {
    ssize_t n = pwrite(fd, f.data + done, f.len - done, (off_t)(offset + done));
    if (n <= 0) ok = 0;
    else done += (size_t)n;
  }
  ok = ok && fsync(fd) == 0;
  kru_bytes_free(frame);
  close(fd);
  return ok;
}

static void log_summary(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    printf("results log %s: empty\n", path);
    return;
  }
  uint8_t *data = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 65536;
      data = realloc(data, cap);
    }
    size_t n = fread(data + len, 1, cap - len, f);
    if (n == 0) break;
    len += n;
  }
  fclose(f);
  kru_log *log = NULL;
  kru_str text;
  size_t records, damaged, undecodable, completed = 0;
  TRY(kru_log_read(data, len, &log));
  TRY(kru_log_counts(log, &records, &damaged, &undecodable));
  for (size_t i = 0; i < records; i++) {
    kru_record *r = NULL;
    bool done;
    int64_t s, e;
    size_t n;
    TRY(kru_log_record(log, i, &r));
    TRY(kru_record_outcome(r, &done, &s, &e, &n));
    completed += done;
    kru_record_free(r);
  }
  TRY(kru_log_describe(log, &text));
  printf("results log %s: ", path);
  put(text);
  printf(" (%zu completed, %zu abandoned)\n", completed, records - completed);
  kru_log_free(log);
  free(data);
}

/* ---- parsing what the visitor types ---- */

/* Parses up to max space-separated numbers 1..limit into 0-based values; returns the count or
 * -1 when something is not such a number. */
static int parse_numbers(const char *line, uint32_t *out, int max, size_t limit) {
  int n = 0;
  const char *p = line;
  for (;;) {
    while (*p == ' ' || *p == ',' || *p == '\t') p++;
    if (!*p) return n;
    char *end;
    long v = strtol(p, &end, 10);
    if (end == p || v < 1 || (size_t)v > limit || n == max) return -1;
    out[n++] = (uint32_t)(v - 1);
    p = end;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* One visitor                                                                                  */

typedef struct {
  const char *log_path;
  int idle_ms;
  const char *journey;
  uint64_t seed;
  unsigned visitors;
} kiosk;

enum { VISITOR_DONE, VISITOR_LEFT, VISITOR_EOF };

/* Waits for the visitor's next line; on the first timeout warns once. */
static int visitor_line(const kiosk *k, char *line, size_t cap) {
  int r = read_line(line, cap, k->idle_ms);
  if (r != LINE_TIMEOUT) return r;
  printf("\n(!) %s\n> ", ui->still_there);
  fflush(stdout);
  return read_line(line, cap, k->idle_ms);
}

static void show_step(kru_session *s, kru_step_kind kind) {
  printf("\n");
  switch (kind) {
    case KRU_STEP_QUESTION: {
      kru_str item, phase, phase_kind, item_kind;
      kru_answer_type expects;
      kru_label prompt, opt;
      size_t n, left;
      uint16_t number, total;
      TRY(kru_session_question(s, &item, &expects, &prompt, &n, &left));
      TRY(kru_session_question_info(s, &phase, &phase_kind, &item_kind, &number, &total));
      printf("%s %u/%u\n", ui->question, number, total);
      putl("", prompt);
      for (size_t i = 0; i < left; i++) {
        TRY(kru_session_question_left(s, i, &opt));
        printf("  %c. ", (char)('A' + (int)i));
        putl("", opt);
      }
      if (expects == KRU_ANSWER_TRUE_FALSE) printf("  1) %s\n  2) %s\n", ui->truth, ui->falsity);
      for (size_t i = 0; i < n; i++) {
        TRY(kru_session_question_option(s, i, &opt));
        printf("  %zu) ", i + 1);
        putl("", opt);
      }
      switch (expects) {
        case KRU_ANSWER_CHOICES: puts(ui->type_numbers); break;
        case KRU_ANSWER_ORDER: puts(ui->type_order); break;
        case KRU_ANSWER_MATCHES: puts(ui->type_matches); break;
        case KRU_ANSWER_TEXT: puts(ui->type_text); break;
        default: puts(ui->type_number);
      }
      break;
    }
    case KRU_STEP_FEEDBACK: {
      kru_str item;
      bool correct, has_bool, value;
      float credit;
      kru_label message, explanation, entry;
      size_t right;
      uint16_t review, reviews;
      kru_label asked;
      TRY(kru_session_feedback(s, &item, &correct, &credit, &message, &explanation, &right));
      TRY(kru_session_feedback_right_bool(s, &has_bool, &value));
      /* after-phase feedback: the answers come back after the score, so show the question. */
      TRY(kru_session_feedback_review(s, &review, &reviews, &asked));
      if (review) {
        printf("%s %u/%u\n", ui->review, review, reviews);
        putl("", asked);
      }
      printf("%s\n", correct ? ui->right : ui->wrong);
      if (message.text.len) putl("", message);
      if (!correct) {
        printf("%s ", ui->answer_was);
        if (has_bool) printf("%s", value ? ui->truth : ui->falsity);
        for (size_t i = 0; i < right; i++) {
          TRY(kru_session_feedback_right_answer(s, i, &entry));
          if (i) printf(" / ");
          put(entry.text);
        }
        printf("\n");
      }
      putl("", explanation);
      puts(ui->next);
      break;
    }
    case KRU_STEP_PAGE: {
      kru_str phase, lesson;
      kru_label title;
      size_t page, pages, blocks;
      TRY(kru_session_page(s, &phase, &lesson, &title, &page, &pages, &blocks));
      printf("== ");
      put(title.text);
      printf(" (%zu/%zu) ==\n", page, pages);
      for (size_t i = 0; i < blocks; i++) {
        kru_block_kind bk;
        kru_label text, detail;
        kru_str id, media;
        size_t entries;
        TRY(kru_session_page_block(s, i, &bk, &text, &detail, &id, &media, &entries));
        switch (bk) {
          case KRU_BLOCK_HEADING: printf("\n# "); put(text.text); printf("\n"); break;
          case KRU_BLOCK_KEY_MESSAGE: putl(" * ", text); printf("   "); put(detail.text); printf("\n"); break;
          case KRU_BLOCK_LIST:
            for (size_t e = 0; e < entries; e++) {
              kru_label entry;
              TRY(kru_session_page_block_entry(s, i, e, &entry));
              putl(" - ", entry);
            }
            break;
          case KRU_BLOCK_IMAGE: printf("[image "); put(media); printf(": "); put(text.text); printf("]\n"); break;
          case KRU_BLOCK_RESOURCE: {
            kru_resource r;
            TRY(kru_session_page_block_resource(s, i, &r));
            printf(" [");
            put(r.name.text);
            printf("] %s ", ui->call);
            put(r.phone);
            printf("\n   ");
            put(r.purpose.text);
            printf("\n   ");
            put(r.hours.text);
            printf("\n");
            break;
          }
          case KRU_BLOCK_EMPHASIS: printf("!! "); put(text.text); printf("\n"); break;
          default: putl("", text);
        }
      }
      puts(ui->next);
      break;
    }
    case KRU_STEP_PHASE_SUMMARY: {
      kru_str phase, pk;
      kru_label title;
      double score, max;
      uint32_t correct;
      TRY(kru_session_phase_summary(s, &phase, &pk, &title, &score, &max, &correct));
      put(title.text);
      printf(": %u/%.0f\n%s\n", correct, max, ui->next);
      break;
    }
    case KRU_STEP_CARD: {
      kru_label title, footer, mt, ms;
      kru_str obj;
      size_t nm, nr;
      TRY(kru_session_card(s, &title, &footer, &nm, &nr));
      printf("+-- ");
      put(title.text);
      printf(" --\n");
      for (size_t i = 0; i < nm; i++) {
        TRY(kru_session_card_message(s, i, &obj, &mt, &ms));
        printf("| %zu. ", i + 1);
        put(mt.text);
        printf("\n");
      }
      for (size_t i = 0; i < nr; i++) {
        kru_resource r;
        TRY(kru_session_card_resource(s, i, &r));
        printf("| %s ", ui->call);
        put(r.phone);
        printf(": ");
        put(r.name.text);
        printf("\n");
      }
      printf("| ");
      put(footer.text);
      printf("\n+--\n%s\n", ui->next);
      break;
    }
    case KRU_STEP_STORY: {
      kru_str story, node, image, ending;
      kru_label title, text, chosen, consequence, c;
      size_t choices;
      TRY(kru_session_story(s, &story, &title, &node, &text, &image, &choices));
      TRY(kru_session_story_outcome(s, &chosen, &consequence, &ending));
      if (chosen.text.data) {
        putl("> ", chosen);
        putl("", consequence);
      } else {
        putl("", text);
      }
      for (size_t i = 0; i < choices; i++) {
        TRY(kru_session_story_choice(s, i, &c));
        printf("  %zu) ", i + 1);
        putl("", c);
      }
      puts(choices ? ui->type_number : ui->next);
      break;
    }
    case KRU_STEP_INTAKE: {
      kru_str field, code;
      kru_label label, ol;
      bool required;
      size_t n;
      TRY(kru_session_intake(s, &field, &label, &required, &n));
      putl("", label);
      for (size_t i = 0; i < n; i++) {
        TRY(kru_session_intake_option(s, i, &code, &ol));
        printf("  %zu) ", i + 1);
        putl("", ol);
      }
      puts(n ? ui->type_number : ui->type_text);
      break;
    }
    default:
      break;
  }
  printf("> ");
  fflush(stdout);
}

/* Applies what the visitor typed to the current step; returns the library's result. */
static kru_result apply(kru_session *s, kru_step_kind kind, const char *line, int64_t t) {
  uint32_t v[32];
  switch (kind) {
    case KRU_STEP_QUESTION: {
      kru_str item;
      kru_answer_type expects;
      kru_label prompt;
      size_t n, left;
      TRY(kru_session_question(s, &item, &expects, &prompt, &n, &left));
      int count;
      switch (expects) {
        case KRU_ANSWER_TRUE_FALSE:
          count = parse_numbers(line, v, 1, 2);
          return count == 1 ? kru_session_answer_bool(s, v[0] == 0, t) : KRU_INVALID_ARGUMENT;
        case KRU_ANSWER_CHOICE:
        case KRU_ANSWER_SCALE:
          count = parse_numbers(line, v, 1, n);
          if (count != 1) return KRU_INVALID_ARGUMENT;
          return expects == KRU_ANSWER_CHOICE ? kru_session_answer_choice(s, v[0], t)
                                              : kru_session_answer_scale(s, v[0], t);
        case KRU_ANSWER_CHOICES:
          count = parse_numbers(line, v, 32, n);
          return count > 0 ? kru_session_answer_choices(s, v, (size_t)count, t) : KRU_INVALID_ARGUMENT;
        case KRU_ANSWER_ORDER:
          count = parse_numbers(line, v, 32, n);
          return count > 0 ? kru_session_answer_order(s, v, (size_t)count, t) : KRU_INVALID_ARGUMENT;
        case KRU_ANSWER_MATCHES:
          count = parse_numbers(line, v, 32, n);
          return count > 0 ? kru_session_answer_matches(s, v, (size_t)count, t) : KRU_INVALID_ARGUMENT;
        default:
          return kru_session_answer_text(s, line, strlen(line), t);
      }
    }
    case KRU_STEP_INTAKE: {
      kru_str field;
      kru_label label;
      bool required;
      size_t n;
      TRY(kru_session_intake(s, &field, &label, &required, &n));
      if (!*line && !required) return kru_session_advance(s, t);
      if (n == 0) return kru_session_answer_text(s, line, strlen(line), t);
      return parse_numbers(line, v, 1, n) == 1 ? kru_session_answer_choice(s, v[0], t) : KRU_INVALID_ARGUMENT;
    }
    case KRU_STEP_STORY: {
      kru_str story, node, image;
      kru_label title, text;
      size_t choices;
      TRY(kru_session_story(s, &story, &title, &node, &text, &image, &choices));
      if (choices == 0) return kru_session_advance(s, t);
      return parse_numbers(line, v, 1, choices) == 1 ? kru_session_answer_choice(s, v[0], t)
                                                      : KRU_INVALID_ARGUMENT;
    }
    default:
      return kru_session_advance(s, t);
  }
}

static void show_result(kru_session *s) {
  kru_scores sc;
  TRY(kru_session_done_scores(s, &sc));
  printf("\n");
  if (sc.has_pre) printf("%s: %.0f/%.0f\n", ui->before, sc.pre_score, sc.pre_max);
  if (sc.has_post) printf("%s: %.0f/%.0f\n", ui->after, sc.post_score, sc.post_max);
}

/* Runs one visitor's session after the attract screen. */
static int visitor(kiosk *k, const kru_pack *pack) {
  char line[1024];
  /* Language choice: the pack's languages by their own names. */
  size_t nl;
  TRY(kru_pack_language_count(pack, &nl));
  printf("\n%s / %s\n", KM_WORDS.choose_language, EN_WORDS.choose_language);
  for (size_t i = 0; i < nl; i++) {
    kru_str tag, name;
    bool reviewed;
    TRY(kru_pack_language(pack, i, &tag, &name, &reviewed));
    printf("  %zu) ", i + 1);
    put(name);
    printf("\n");
  }
  printf("> ");
  fflush(stdout);
  uint32_t pick = 0;
  for (;;) {
    int r = read_line(line, sizeof line, k->idle_ms);
    if (r == LINE_EOF) return VISITOR_EOF;
    if (r == LINE_TIMEOUT) return VISITOR_LEFT; /* nothing to save yet */
    if (parse_numbers(line, &pick, 1, nl) == 1) break;
    printf("%s\n> ", EN_WORDS.try_again);
    fflush(stdout);
  }
  kru_str tag, name;
  bool reviewed;
  TRY(kru_pack_language(pack, pick, &tag, &name, &reviewed));
  ui = load_words(&VISITOR_WORDS, pack, tag.data, tag.len) ? &VISITOR_WORDS : &EN_WORDS;

  /* A pseudonymous code per visitor: never a name. */
  char learner[32];
  uint64_t seed = k->seed + k->visitors++;
  snprintf(learner, sizeof learner, "kiosk-%08llx", (unsigned long long)(seed & 0xFFFFFFFFu));
  kru_session *s = NULL;
  TRY(kru_session_start(pack, k->journey, strlen(k->journey), &tag, 1, seed, learner, strlen(learner),
                        now_ms(), &s));

  int outcome = VISITOR_DONE;
  for (;;) {
    kru_step_kind kind;
    TRY(kru_session_step_kind(s, &kind));
    if (kind == KRU_STEP_DONE) break;
    show_step(s, kind);
    int r = visitor_line(k, line, sizeof line);
    if (r != LINE_OK) {
      outcome = r == LINE_EOF ? VISITOR_EOF : VISITOR_LEFT;
      break;
    }
    kru_result res = apply(s, kind, line, now_ms());
    if (res != KRU_OK) {
      printf("%s\n", ui->try_again);
    }
  }

  kru_record *rec = NULL;
  if (outcome == VISITOR_DONE) {
    show_result(s);
    TRY(kru_session_finish(s, now_ms(), &rec));
  } else {
    if (outcome == VISITOR_LEFT) printf("\n%s\n", ui->timed_out);
    TRY(kru_session_abandon(s, now_ms(), &rec));
  }
  if (!append_record(k->log_path, rec)) fprintf(stderr, "kiosk: cannot write %s\n", k->log_path);
  kru_record_free(rec);
  kru_session_free(s); /* the visitor's session is discarded */
  if (outcome == VISITOR_DONE) {
    printf("%s\n%s\n> ", ui->thanks, ui->next);
    fflush(stdout);
    int r = read_line(line, sizeof line, k->idle_ms);
    if (r == LINE_EOF) return VISITOR_EOF;
  }
  return outcome;
}

/* ------------------------------------------------------------------------------------------ */

static int load_key(kru_trust *trust, const char *path) {
  FILE *f = fopen(path, "rb");
  uint8_t key[33];
  size_t n = f ? fread(key, 1, sizeof key, f) : 0;
  if (f) fclose(f);
  if (n != 32) {
    fprintf(stderr, "kiosk: %s is not a 32-byte public key\n", path);
    return 0;
  }
  TRY(kru_trust_add_key(trust, key, 32));
  return 1;
}

static uint8_t *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *data = NULL;
  size_t cap = 0;
  *len = 0;
  for (;;) {
    if (*len == cap) {
      cap = cap ? cap * 2 : 1 << 20;
      data = realloc(data, cap);
    }
    size_t n = fread(data + *len, 1, cap - *len, f);
    if (n == 0) break;
    *len += n;
  }
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr,
            "usage: %s PACK.krupack RESULTS.krulog [--idle SECONDS] [--key SIGNER.pub]... "
            "[--allow-unsigned] [--seed N] [--journey ID]\n",
            argv[0]);
    return 2;
  }
  kiosk k = {argv[2], 90 * 1000, "kiosk", (uint64_t)now_ms(), 0};
  kru_trust *trust = NULL;
  TRY(kru_trust_new(&trust));
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--idle") && i + 1 < argc) {
      k.idle_ms = (int)(atof(argv[++i]) * 1000);
    } else if (!strcmp(argv[i], "--key") && i + 1 < argc) {
      if (!load_key(trust, argv[++i])) return 2;
    } else if (!strcmp(argv[i], "--allow-unsigned")) {
      TRY(kru_trust_allow_unsigned(trust));
    } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
      k.seed = strtoull(argv[++i], NULL, 10);
    } else if (!strcmp(argv[i], "--journey") && i + 1 < argc) {
      k.journey = argv[++i];
    } else {
      fprintf(stderr, "kiosk: unknown argument %s\n", argv[i]);
      return 2;
    }
  }

  size_t len = 0;
  uint8_t *bytes = read_all(argv[1], &len);
  if (!bytes) {
    fprintf(stderr, "kiosk: cannot read %s\n", argv[1]);
    return 1;
  }
  kru_pack *pack = NULL;
  kru_result r = kru_pack_load(trust, bytes, len, &pack);
  free(bytes);
  kru_trust_free(trust);
  if (r != KRU_OK) die("loading the pack", r);
  if (!load_words(&EN_WORDS, pack, "en", 2) || !load_words(&KM_WORDS, pack, "km", 2))
    die("reading the interface strings", KRU_INTERNAL);
  printf("kru %s kiosk\n", kru_version());

  char line[256];
  for (;;) {
    /* The attract screen: the pack's title in every language, waiting for a visitor. */
    size_t nl;
    TRY(kru_pack_language_count(pack, &nl));
    printf("\n****************************************************\n");
    for (size_t i = 0; i < nl; i++) {
      kru_label title;
      TRY(kru_pack_title(pack, i, &title));
      printf("   ");
      put(title.text);
      printf("\n");
    }
    printf("\n   %s\n   %s\n****************************************************\n> ", KM_WORDS.start,
           EN_WORDS.start);
    fflush(stdout);
    int rl = read_line(line, sizeof line, -1);
    if (rl == LINE_EOF || !strcmp(line, "q")) break;
    if (visitor(&k, pack) == VISITOR_EOF) break;
    ui = &EN_WORDS;
  }
  printf("\n");
  log_summary(k.log_path);
  free_words(&EN_WORDS);
  free_words(&KM_WORDS);
  free_words(&VISITOR_WORDS);
  kru_pack_free(pack);
  return 0;
}
