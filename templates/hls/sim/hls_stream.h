// Intarsia's own model of hls::stream, for C simulation of emitted HLS projects with plain g++.
// Written for this project (not derived from any vendor header); only the g++ Makefile puts
// sim/ on the include path, Vitis uses its own <hls_stream.h>.
//
// Default (sequential) mode behaves as Vitis C simulation: DATAFLOW processes run one after
// another and every stream is an unbounded FIFO. A read from an empty stream prints
// "hls::stream '<name>': read while empty" and aborts; a stream destroyed with data in it
// prints "hls::stream '<name>': N element(s) left over".
//
// With -DINTARSIA_THREADED_STREAMS (and -pthread) each INTARSIA_PROCESS runs in its own thread
// and a stream holds at most its depth (DEPTH, or 2 as in Vitis), so too-shallow FIFOs deadlock
// as they would in RTL. When every live process is blocked on a stream, or when a process stays
// blocked with no stream progress for INTARSIA_STREAM_TIMEOUT seconds (default 20), a report
// starting with "hls::stream deadlock:" names each blocked process and stream on stderr, and the
// program ends with _Exit(3).
//
//   INTARSIA_DATAFLOW_BEGIN
//     INTARSIA_PROCESS(load_a(in, s1));
//     INTARSIA_PROCESS(task_b(s1, s2));
//   INTARSIA_DATAFLOW_END
//
// Threaded mode evaluates each call in its thread with everything captured by reference: do not
// spawn processes in a loop whose index changes after the spawn. Nested regions are unsupported.
#ifndef INTARSIA_SIM_HLS_STREAM_H
#define INTARSIA_SIM_HLS_STREAM_H
#define INTARSIA_SIM_STREAMS 1

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <utility>

namespace hls {
namespace sim {
inline std::string unnamed() {  // "stream#1", "stream#2", ... for streams constructed without a name
    static std::atomic<int> n{0};
    return "stream#" + std::to_string(++n);
}
}  // namespace sim
}  // namespace hls

#ifndef INTARSIA_THREADED_STREAMS
// ---------------------------------------------------------------- sequential mode
#define INTARSIA_DATAFLOW_BEGIN {
#define INTARSIA_PROCESS(...) __VA_ARGS__
#define INTARSIA_DATAFLOW_END }

namespace hls {
template <typename T, int DEPTH = 0> class stream;

// stream<T> (depth 2, as in Vitis); stream<T, D> derives from it, so a process taking a
// stream<T>& accepts streams of any depth, as with Vitis' own header.
template <typename T>
class stream<T, 0> {
public:
    static constexpr int depth = 2;
    stream() : name_(sim::unnamed()) {}
    explicit stream(const char* name) : name_(name ? name : sim::unnamed()) {}
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;
    stream(stream&&) = delete;
    stream& operator=(stream&&) = delete;
    ~stream() {
        if (!q_.empty())
            std::fprintf(stderr, "hls::stream '%s': %zu element(s) left over\n", name(), q_.size());
    }

    const char* name() const { return name_.c_str(); }
    bool empty() const { return q_.empty(); }
    bool full() const { return false; }  // unbounded, as in Vitis C simulation
    std::size_t size() const { return q_.size(); }

    T read() {
        if (q_.empty()) {
            std::fprintf(stderr, "hls::stream '%s': read while empty\n", name());
            std::abort();
        }
        T v = std::move(q_.front());
        q_.pop_front();
        return v;
    }
    void read(T& v) { v = read(); }
    bool read_nb(T& v) {
        if (q_.empty()) return false;
        v = read();
        return true;
    }
    void write(const T& v) { q_.push_back(v); }
    bool write_nb(const T& v) { write(v); return true; }
    void operator>>(T& v) { read(v); }
    void operator<<(const T& v) { write(v); }

protected:
    stream(const char* name, int) : name_(name ? name : sim::unnamed()) {}

private:
    std::string name_;
    std::deque<T> q_;
};
}  // namespace hls

#else
// ---------------------------------------------------------------- threaded mode
#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace hls {
namespace sim {
using clock = std::chrono::steady_clock;

struct fifo {  // what the deadlock report needs to know about one stream
    std::string name;
    int depth;
    std::size_t size = 0;
    int waiting = 0;  // processes blocked on it (only then is a notify needed)
};

struct waiter { int process; const char* task; const fifo* f; bool writing; };

// One lock for all streams and the registry, so "every live process is blocked" is exact.
struct registry {
    std::mutex m;
    int live = 1;  // the main thread counts until it waits for a dataflow region
    std::vector<waiter> blocked;
    clock::time_point last_progress = clock::now();
    double timeout = [] {
        const char* e = std::getenv("INTARSIA_STREAM_TIMEOUT");
        double t = e ? std::atof(e) : 0;
        return t > 0 ? t : 20.0;
    }();
};
inline registry& reg() { static registry r; return r; }
inline thread_local int this_process = 0;
inline thread_local const char* this_task = "the calling thread";

inline bool stuck(const waiter& w) { return w.writing ? w.f->size >= std::size_t(w.f->depth) : w.f->size == 0; }

[[noreturn]] inline void report(const char* why) {  // called with reg().m held
    registry& r = reg();
    std::fprintf(stderr, "hls::stream deadlock: %s\n", why);
    for (const waiter& w : r.blocked)
        std::fprintf(stderr, "  process %d blocked %s stream '%s' (depth %d) in %s\n", w.process,
                     w.writing ? "writing to full" : "reading from empty", w.f->name.c_str(), w.f->depth, w.task);
    if (r.live > int(r.blocked.size()))
        std::fprintf(stderr, "  %d other process(es) running without stream progress\n", r.live - int(r.blocked.size()));
    std::_Exit(3);
}

inline void check() {  // with reg().m held: is every live process waiting on a stream it cannot use?
    registry& r = reg();
    int n = 0;
    for (const waiter& w : r.blocked) n += stuck(w);
    if (r.live > 0 && n == r.live) report("every live dataflow process is blocked");
}

// Waits on `cv` until `ready()`, registered as blocked on `f` meanwhile.
template <typename Ready>
void wait(std::unique_lock<std::mutex>& lk, std::condition_variable& cv, fifo& f, bool writing, Ready ready) {
    registry& r = reg();
    for (int spin = 0; spin < 100 && !ready(); ++spin) {  // cheaper than sleeping on the cv
        lk.unlock();
        std::this_thread::yield();
        lk.lock();
    }
    if (ready()) return;
    ++f.waiting;
    r.blocked.push_back({this_process, this_task, &f, writing});
    while (!ready()) {
        check();
        auto patience = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(r.timeout));
        cv.wait_until(lk, r.last_progress + patience);
        if (!ready() && clock::now() >= r.last_progress + patience) {
            char why[80];
            std::snprintf(why, sizeof why, "no stream progress for %g s (INTARSIA_STREAM_TIMEOUT)", r.timeout);
            report(why);
        }
    }
    --f.waiting;
    for (std::size_t i = 0; i < r.blocked.size(); ++i)
        if (r.blocked[i].process == this_process && r.blocked[i].f == &f) { r.blocked.erase(r.blocked.begin() + long(i)); break; }
}

class region {
public:
    region() = default;
    region(const region&) = delete;
    region& operator=(const region&) = delete;
    ~region() { if (!threads_.empty()) join(); }  // a return inside the region still waits
    template <typename F>
    void spawn(const char* task, F body) {
        int id = int(threads_.size()) + 1;
        { std::lock_guard<std::mutex> g(reg().m); ++reg().live; }
        threads_.emplace_back([id, task, body] {
            this_process = id;
            this_task = task;
            body();
            std::lock_guard<std::mutex> g(reg().m);
            --reg().live;
            check();
        });
    }
    void join() {
        { std::lock_guard<std::mutex> g(reg().m); --reg().live; check(); }
        for (std::thread& t : threads_) t.join();
        threads_.clear();
        std::lock_guard<std::mutex> g(reg().m);
        ++reg().live;
    }
private:
    std::list<std::thread> threads_;  // (a vector trips a g++ 12 -Warray-bounds false positive)
};
}  // namespace sim

template <typename T, int DEPTH = 0> class stream;

// stream<T> holds 2 elements (the Vitis default); stream<T, D> derives from it and holds D.
template <typename T>
class stream<T, 0> {
public:
    static constexpr int depth = 2;
    stream() : cap_(depth), f_{sim::unnamed(), depth} {}
    explicit stream(const char* name) : cap_(depth), f_{name ? name : sim::unnamed(), depth} {}
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;
    stream(stream&&) = delete;
    stream& operator=(stream&&) = delete;
    ~stream() {
        if (!q_.empty())
            std::fprintf(stderr, "hls::stream '%s': %zu element(s) left over\n", name(), q_.size());
    }

    const char* name() const { return f_.name.c_str(); }
    bool empty() const { std::lock_guard<std::mutex> g(sim::reg().m); return q_.empty(); }
    bool full() const { std::lock_guard<std::mutex> g(sim::reg().m); return q_.size() >= std::size_t(cap_); }
    std::size_t size() const { std::lock_guard<std::mutex> g(sim::reg().m); return q_.size(); }

    T read() {
        std::unique_lock<std::mutex> lk(sim::reg().m);
        sim::wait(lk, not_empty_, f_, false, [this] { return !q_.empty(); });
        return pop();
    }
    void read(T& v) { v = read(); }
    bool read_nb(T& v) {
        std::lock_guard<std::mutex> g(sim::reg().m);
        if (q_.empty()) return false;
        v = pop();
        return true;
    }
    void write(const T& v) {
        std::unique_lock<std::mutex> lk(sim::reg().m);
        sim::wait(lk, not_full_, f_, true, [this] { return q_.size() < std::size_t(cap_); });
        push(v);
    }
    bool write_nb(const T& v) {
        std::lock_guard<std::mutex> g(sim::reg().m);
        if (q_.size() >= std::size_t(cap_)) return false;
        push(v);
        return true;
    }
    void operator>>(T& v) { read(v); }
    void operator<<(const T& v) { write(v); }

protected:
    stream(const char* name, int cap) : cap_(cap), f_{name ? name : sim::unnamed(), cap} {}

private:
    T pop() {  // with the lock held and data present
        T v = std::move(q_.front());
        q_.pop_front();
        f_.size = q_.size();
        sim::reg().last_progress = sim::clock::now();
        if (f_.waiting) not_full_.notify_all();
        return v;
    }
    void push(const T& v) {
        q_.push_back(v);
        f_.size = q_.size();
        sim::reg().last_progress = sim::clock::now();
        if (f_.waiting) not_empty_.notify_all();
    }
    int cap_;
    sim::fifo f_;
    std::deque<T> q_;
    std::condition_variable not_empty_, not_full_;
};
}  // namespace hls

#define INTARSIA_DATAFLOW_BEGIN { ::hls::sim::region intarsia_dataflow_region_;
#define INTARSIA_PROCESS(...) intarsia_dataflow_region_.spawn(#__VA_ARGS__, [&] { __VA_ARGS__; })
#define INTARSIA_DATAFLOW_END intarsia_dataflow_region_.join(); }
#endif

namespace hls {
template <typename T, int DEPTH>
class stream : public stream<T, 0> {
public:
    static_assert(DEPTH > 0, "a stream's depth is positive");
    static constexpr int depth = DEPTH;
    stream() : stream<T, 0>(nullptr, DEPTH) {}
    explicit stream(const char* name) : stream<T, 0>(name, DEPTH) {}
};
}  // namespace hls
#endif  // INTARSIA_SIM_HLS_STREAM_H
