/* Checks for the C tests: CHECK(cond), CHECK_OK(call) and EXPECT_ERROR(call, status, needle)
 * count failures in `failures` and print where they happened. */
#ifndef I8GEMM_TESTS_C_CHECK_H_
#define I8GEMM_TESTS_C_CHECK_H_

#include <stdio.h>
#include <string.h>

#include "i8gemm/i8gemm.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

#define CHECK_OK(expr)                                                          \
  do {                                                                          \
    i8gemm_status status_ = (expr);                                             \
    if (status_ != I8GEMM_OK) {                                                 \
      fprintf(stderr, "%s:%d: %s returned %s: %s\n", __FILE__, __LINE__, #expr, \
              i8gemm_status_name(status_), i8gemm_last_error());                \
      ++failures;                                                               \
    }                                                                           \
  } while (0)

/* `expr` must fail with `want` and a message containing `needle` (the argument's name). */
#define EXPECT_ERROR(expr, want, needle) \
  expect_error((expr), (want), (needle), #expr, __FILE__, __LINE__)

static void expect_error(i8gemm_status got, i8gemm_status want, const char* needle,
                         const char* what, const char* file, int line) {
  if (got != want) {
    fprintf(stderr, "%s:%d: %s returned %s, expected %s (%s)\n", file, line, what,
            i8gemm_status_name(got), i8gemm_status_name(want), i8gemm_last_error());
    ++failures;
  } else if (strstr(i8gemm_last_error(), needle) == NULL) {
    fprintf(stderr, "%s:%d: %s: message '%s' lacks '%s'\n", file, line, what, i8gemm_last_error(),
            needle);
    ++failures;
  }
}

#endif /* I8GEMM_TESTS_C_CHECK_H_ */
