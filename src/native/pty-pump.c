// The PTY's output pump (see pty-pump.ts): a thread that reads the program's terminal and writes what
// it reads to the screen at once, as `script` does, and holds a copy for the recording, which the main
// thread takes in batches. JavaScript then runs per batch (a megabyte, or 20 ms), not per 4 KB read.

// clock_gettime and CLOCK_MONOTONIC are POSIX, declared only when asked for (before any header).
#define _POSIX_C_SOURCE 200809L
#include "pty-pump.h"

#include "napi-args.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// A read's most; a PTY gives at most 4 KB a read on Linux, more elsewhere.
#define READ_BYTES (64 * 1024)
// The main thread is told of the held bytes once there are this many, or once the first of them
// waited NOTIFY_MS: the batch size and age the recording works in.
#define NOTIFY_BYTES (1024 * 1024)
#define NOTIFY_MS 20
// The program waits (the pump stops reading) while this much is held and not yet taken.
#define HELD_LIMIT (4 * 1024 * 1024)

typedef struct {
  int fd;         // the PTY's master side, read to its end (EIO)
  int screen_fd;  // where the output is shown at once; -1 once closed (or never)
  int wake[2];    // a pipe that breaks the thread's wait when it is told to stop
  pthread_t thread;
  bool running;  // the thread was started and not yet joined
  pthread_mutex_t lock;
  pthread_cond_t changed;
  // The bytes read and not yet taken: held[start, used).
  uint8_t *held;
  size_t start, used, capacity;
  struct timespec first_at;  // when the first of them was read
  bool paused, stopping, ended, notified;
  int screen_errno, read_errno;
  napi_threadsafe_function notify;
} Pump;

static long ms_since(const struct timespec *then) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - then->tv_sec) * 1000 + (now.tv_nsec - then->tv_nsec) / 1000000;
}

// Waits until fd is ready for `events` or the pump is told to stop; false on the latter.
static bool wait_for(Pump *pump, int fd, short events, int timeout_ms, short *revents) {
  for (;;) {
    struct pollfd fds[2] = {{fd, events, 0}, {pump->wake[0], POLLIN, 0}};
    int ready = poll(fds, 2, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (fds[1].revents) return false;
    *revents = ready > 0 ? fds[0].revents : 0;
    return true;
  }
}

// The screen first: the program's bytes reach the person as they come. A screen that is gone (EPIPE:
// `sdd run ... | head`) is given up on; the recording goes on.
static void show(Pump *pump, const uint8_t *data, size_t length) {
  while (pump->screen_fd >= 0 && length > 0) {
    ssize_t written = write(pump->screen_fd, data, length);
    if (written >= 0) {
      data += written;
      length -= (size_t)written;
      continue;
    }
    if (errno == EINTR) continue;
    short revents;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_for(pump, pump->screen_fd, POLLOUT, -1, &revents)) return;
      continue;
    }
    pthread_mutex_lock(&pump->lock);
    pump->screen_errno = errno;
    pump->screen_fd = -1;
    pthread_mutex_unlock(&pump->lock);
  }
}

static void tell(Pump *pump) {
  napi_call_threadsafe_function(pump->notify, NULL, napi_tsfn_blocking);
}

// Appends a read to the held bytes; true when the main thread should be told now.
static bool hold(Pump *pump, const uint8_t *data, size_t length) {
  pthread_mutex_lock(&pump->lock);
  if (pump->used + length > pump->capacity) {
    memmove(pump->held, pump->held + pump->start, pump->used - pump->start);
    pump->used -= pump->start;
    pump->start = 0;
    if (pump->used + length > pump->capacity) {
      size_t capacity = pump->capacity * 2;
      while (capacity < pump->used + length) capacity *= 2;
      uint8_t *grown = realloc(pump->held, capacity);
      if (!grown) {
        pump->read_errno = ENOMEM;
        pthread_mutex_unlock(&pump->lock);
        return false;
      }
      pump->held = grown;
      pump->capacity = capacity;
    }
  }
  if (pump->used == pump->start) clock_gettime(CLOCK_MONOTONIC, &pump->first_at);
  memcpy(pump->held + pump->used, data, length);
  pump->used += length;
  bool now = !pump->notified && pump->used - pump->start >= NOTIFY_BYTES;
  if (now) pump->notified = true;
  pthread_mutex_unlock(&pump->lock);
  return now;
}

static void *pump_main(void *arg) {
  Pump *pump = arg;
  uint8_t buffer[READ_BYTES];
  for (;;) {
    pthread_mutex_lock(&pump->lock);
    while (!pump->stopping && !pump->read_errno &&
           (pump->paused || pump->used - pump->start >= HELD_LIMIT))
      pthread_cond_wait(&pump->changed, &pump->lock);
    bool stop = pump->stopping || pump->read_errno;
    int timeout = -1;
    bool due = false;
    if (pump->used > pump->start && !pump->notified) {
      long age = ms_since(&pump->first_at);
      if (age >= NOTIFY_MS) due = pump->notified = true;
      else timeout = (int)(NOTIFY_MS - age);
    }
    pthread_mutex_unlock(&pump->lock);
    if (stop) break;
    if (due) {
      tell(pump);
      continue;
    }
    short revents;
    if (!wait_for(pump, pump->fd, POLLIN, timeout, &revents)) continue;  // told to stop: checked above
    if (revents == 0) continue;                                           // the batch's time is up
    ssize_t length = read(pump->fd, buffer, sizeof buffer);
    if (length < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      // EIO: the program's side is closed and everything it wrote was read.
      if (errno != EIO) {
        pthread_mutex_lock(&pump->lock);
        pump->read_errno = errno;
        pthread_mutex_unlock(&pump->lock);
      }
      break;
    }
    if (length == 0) break;
    show(pump, buffer, (size_t)length);
    if (hold(pump, buffer, (size_t)length)) tell(pump);
  }
  pthread_mutex_lock(&pump->lock);
  pump->ended = true;
  pthread_mutex_unlock(&pump->lock);
  tell(pump);
  napi_release_threadsafe_function(pump->notify, napi_tsfn_release);
  return NULL;
}

static void stop_and_join(Pump *pump) {
  if (!pump->running) return;
  pthread_mutex_lock(&pump->lock);
  pump->stopping = true;
  pthread_cond_signal(&pump->changed);
  pthread_mutex_unlock(&pump->lock);
  ssize_t ignored = write(pump->wake[1], "x", 1);
  (void)ignored;
  pthread_join(pump->thread, NULL);
  pump->running = false;
}

static void free_pump(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Pump *pump = data;
  stop_and_join(pump);
  close(pump->wake[0]);
  close(pump->wake[1]);
  pthread_mutex_destroy(&pump->lock);
  pthread_cond_destroy(&pump->changed);
  free(pump->held);
  free(pump);
}

// Marks the pump's handles, so that no other external (a prefilter) is ever taken for one.
static const napi_type_tag PUMP_TAG = {0x5dd0a1b2c3d4e5f6ULL, 0x70756d7020707479ULL};

static Pump *pump_of(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_get_cb_info(env, info, argc, argv, NULL, NULL);
  Pump *pump;
  bool tagged = false;
  if (*argc < 1 || napi_check_object_type_tag(env, argv[0], &PUMP_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, argv[0], (void **)&pump) != napi_ok)
    return NULL;
  return pump;
}

// startPump(fd, screenFd, onReady): starts reading fd (a PTY's master, non-blocking or not) on a
// thread of its own, showing what it reads on screenFd (-1: nowhere); onReady() is called when there
// is something to take, and once more when the PTY has ended.
static napi_value start_pump(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd, screen_fd;
  napi_valuetype type;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_get_value_int32(env, argv[1], &screen_fd) != napi_ok ||
      napi_typeof(env, argv[2], &type) != napi_ok || type != napi_function)
    return fail(env, "startPump(fd, screenFd, onReady) with a file descriptor and a function");
  Pump *pump = calloc(1, sizeof(Pump));
  if (!pump) return fail(env, "out of memory");
  pump->fd = fd;
  pump->screen_fd = screen_fd < 0 ? -1 : screen_fd;
  pump->capacity = NOTIFY_BYTES + READ_BYTES;
  pump->held = malloc(pump->capacity);
  if (!pump->held || pipe(pump->wake) != 0) {
    free(pump->held);
    free(pump);
    return fail(env, "cannot start the pump (out of memory or descriptors)");
  }
  fcntl(pump->wake[0], F_SETFD, FD_CLOEXEC);
  fcntl(pump->wake[1], F_SETFD, FD_CLOEXEC);
  pthread_mutex_init(&pump->lock, NULL);
  pthread_cond_init(&pump->changed, NULL);
  napi_value name;
  napi_create_string_utf8(env, "sdd.ptyPump", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[2], NULL, name, 0, 1, NULL, NULL, NULL, NULL,
                                      &pump->notify) != napi_ok) {
    free_pump(env, pump, NULL);
    return fail(env, "cannot start the pump");
  }
  napi_value handle;
  if (napi_create_external(env, pump, free_pump, NULL, &handle) != napi_ok) {
    napi_release_threadsafe_function(pump->notify, napi_tsfn_abort);
    free_pump(env, pump, NULL);
    return fail(env, "cannot start the pump");
  }
  // From here the handle owns the pump (its finalizer frees it); a failure only lets the callback go,
  // which would otherwise keep the process alive.
  if (napi_type_tag_object(env, handle, &PUMP_TAG) != napi_ok ||
      pthread_create(&pump->thread, NULL, pump_main, pump) != 0) {
    napi_release_threadsafe_function(pump->notify, napi_tsfn_abort);
    return fail(env, "cannot start the pump's thread");
  }
  pump->running = true;
  return handle;
}

static void set_int(napi_env env, napi_value object, const char *name, int64_t number) {
  napi_value value;
  napi_create_int64(env, number, &value);
  napi_set_named_property(env, object, name, value);
}

// takePump(pump, into): { length, ageMs, ended, screenError, readError }. Moves the oldest held bytes,
// as many as fit, to the start of `into`; ageMs is how long ago the first of those held was read;
// ended once the PTY was read to its end (or the pump stopped) and nothing is held any more.
static napi_value take(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  Pump *pump = pump_of(env, info, &argc, argv);
  uint8_t *into;
  size_t room;
  if (!pump || argc < 2 || !bytes_of(env, argv[1], &into, &room))
    return fail(env, "takePump(pump, into) with a pump and a Uint8Array");
  pthread_mutex_lock(&pump->lock);
  size_t held = pump->used - pump->start;
  size_t length = held < room ? held : room;
  long age = held > 0 ? ms_since(&pump->first_at) : 0;
  memcpy(into, pump->held + pump->start, length);
  pump->start += length;
  if (pump->start == pump->used) pump->start = pump->used = 0;
  // Told again only of bytes that come from now on; what is left here the caller takes at once.
  pump->notified = false;
  bool ended = pump->ended && pump->used == 0;
  int screen_errno = pump->screen_errno, read_errno = pump->read_errno;
  pthread_cond_signal(&pump->changed);
  pthread_mutex_unlock(&pump->lock);
  napi_value result, value;
  napi_create_object(env, &result);
  set_int(env, result, "length", (int64_t)length);
  set_int(env, result, "ageMs", age);
  napi_get_boolean(env, ended, &value);
  napi_set_named_property(env, result, "ended", value);
  set_int(env, result, "screenError", screen_errno);
  set_int(env, result, "readError", read_errno);
  return result;
}

// pause(pump) / resume(pump): stop and go on reading (the program waits once the PTY is full).
static napi_value set_paused(napi_env env, napi_callback_info info, bool paused) {
  size_t argc = 1;
  napi_value argv[1];
  Pump *pump = pump_of(env, info, &argc, argv);
  if (!pump) return fail(env, "pause(pump) or resume(pump)");
  pthread_mutex_lock(&pump->lock);
  pump->paused = paused;
  pthread_cond_signal(&pump->changed);
  pthread_mutex_unlock(&pump->lock);
  return NULL;
}

static napi_value pause_pump(napi_env env, napi_callback_info info) {
  return set_paused(env, info, true);
}

static napi_value resume_pump(napi_env env, napi_callback_info info) {
  return set_paused(env, info, false);
}

// stop(pump): the thread stops reading and is joined; the PTY is then the caller's to close.
static napi_value stop_pump(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Pump *pump = pump_of(env, info, &argc, argv);
  if (!pump) return fail(env, "stop(pump)");
  stop_and_join(pump);
  return NULL;
}

void define_pty_pump(napi_env env, napi_value exports) {
  const napi_property_descriptor functions[] = {
      {"startPump", NULL, start_pump, NULL, NULL, NULL, napi_default, NULL},
      {"takePump", NULL, take, NULL, NULL, NULL, napi_default, NULL},
      {"pausePump", NULL, pause_pump, NULL, NULL, NULL, napi_default, NULL},
      {"resumePump", NULL, resume_pump, NULL, NULL, NULL, napi_default, NULL},
      {"stopPump", NULL, stop_pump, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
}
