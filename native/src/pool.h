// A persistent thread pool for the native kernels. A job is `count` tasks that the calling thread
// and the workers claim from an atomic counter; each task writes its own outputs, so which thread
// ran a task never changes a result. Workers spin briefly before sleeping, because waking a
// sleeping thread costs tens of microseconds and kernels come back to back.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace qudao {

class Pool {
 public:
  using Task = void (*)(void* arg, long task);

  explicit Pool(int threads) : threads_(threads < 1 ? 1 : threads) {
    for (int i = 1; i < threads_; i++) workers_.emplace_back([this] { workerLoop(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_.store(true);
      seq_.fetch_add(1);
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /** Threads including the caller. */
  int threads() const { return threads_; }

  /** Runs task(arg, i) for i < count on this thread and the workers; returns when all are done. */
  void run(long count, Task task, void* arg) {
    if (threads_ == 1 || count <= 1) {
      for (long i = 0; i < count; i++) task(arg, i);
      return;
    }
    task_ = task;
    arg_ = arg;
    done_.store(0);
    // Count and next index share one word, claimed by compare-and-swap: a worker still leaving the
    // previous job can only ever claim a task that exists in the job the word describes.
    job_.store(static_cast<uint64_t>(count) << 32);
    {
      std::lock_guard<std::mutex> lk(mu_);
      seq_.fetch_add(1);
    }
    cv_.notify_all();
    work();
    for (long spins = 0; done_.load(std::memory_order_acquire) < count; spins++) {
      if (spins > 4000) std::this_thread::yield();
      else pause();
    }
  }

 private:
  static inline void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  void work() {
    for (;;) {
      uint64_t job = job_.load();
      for (;;) {
        if ((job & 0xffffffffu) >= (job >> 32)) return;
        if (job_.compare_exchange_weak(job, job + 1)) break;
      }
      task_(arg_, static_cast<long>(job & 0xffffffffu));
      done_.fetch_add(1, std::memory_order_release);
    }
  }

  void workerLoop() {
    uint64_t last = 0;
    for (;;) {
      uint64_t seq = seq_.load();
      if (seq == last) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(100);
        while ((seq = seq_.load()) == last && std::chrono::steady_clock::now() < until) pause();
        if (seq == last) {
          std::unique_lock<std::mutex> lk(mu_);
          cv_.wait(lk, [&] { return seq_.load() != last; });
          seq = seq_.load();
        }
      }
      if (stop_.load()) return;
      last = seq;
      work();
    }
  }

  const int threads_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<uint64_t> seq_{0};
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> job_{0};
  std::atomic<long> done_{0};
  Task task_ = nullptr;
  void* arg_ = nullptr;
};

}  // namespace qudao
