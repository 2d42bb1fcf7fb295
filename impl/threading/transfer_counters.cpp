// transfer_counters: the registry of per-thread transfer counts (cold paths: binding, thread exit,
// snapshot). Records belong to the registry and are only added, removed or summed under its mutex;
// their owner threads write them without it (relaxed atomics, see the interface).
module;
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>
module framealloc.threading;

import framealloc.core;

namespace framealloc::detail {

struct transfer_registry final : thread_registry {
    void* create_thread_state() override {
        live.push_back(std::make_unique<transfer_thread_counts>());
        return live.back().get();
    }

    void thread_exited(void* state) noexcept override {
        const auto it = std::find_if(live.begin(), live.end(), [&](const auto& c) { return c.get() == state; });
        if (it == live.end()) return;
        add((*it)->created.load(std::memory_order_relaxed), (*it)->received.load(std::memory_order_relaxed),
            (*it)->dropped.load(std::memory_order_relaxed), (*it)->bytes_created.load(std::memory_order_relaxed));
        live.erase(it);
    }

    void add(std::uint64_t created, std::uint64_t received, std::uint64_t dropped, std::uint64_t bytes) noexcept {
        retired.created += created;
        retired.received += received;
        retired.dropped += dropped;
        retired.bytes_created += bytes;
    }

    std::vector<std::unique_ptr<transfer_thread_counts>> live;  // under mutex
    transfer_stats retired;                                      // threads that exited; under mutex
    std::atomic<std::uint64_t> unbound_received{0};              // counted without a binding
    std::atomic<std::uint64_t> unbound_dropped{0};
};

transfer_counters::transfer_counters() : id_(next_resource_id()), registry_(std::make_shared<transfer_registry>()) {}

transfer_counters::~transfer_counters() {
    std::lock_guard lock(registry_->mutex);
    registry_->alive.store(false, std::memory_order_relaxed);
    registry_->live.clear();
    forget_thread_slot(id_);
}

transfer_thread_counts& transfer_counters::bind_calling_thread() {
    return *static_cast<transfer_thread_counts*>(bind_thread(id_, registry_));
}

transfer_thread_counts* transfer_counters::try_bind_calling_thread() noexcept {
    try {
        return &bind_calling_thread();
    } catch (...) {
        return nullptr;
    }
}

void transfer_counters::count_unbound_received() noexcept {
    registry_->unbound_received.fetch_add(1, std::memory_order_relaxed);
}

void transfer_counters::count_unbound_dropped() noexcept {
    registry_->unbound_dropped.fetch_add(1, std::memory_order_relaxed);
}

transfer_stats transfer_counters::snapshot() const {
    std::lock_guard lock(registry_->mutex);
    transfer_stats s = registry_->retired;
    for (const auto& c : registry_->live) {
        s.created += c->created.load(std::memory_order_relaxed);
        s.received += c->received.load(std::memory_order_relaxed);
        s.dropped += c->dropped.load(std::memory_order_relaxed);
        s.bytes_created += c->bytes_created.load(std::memory_order_relaxed);
    }
    s.received += registry_->unbound_received.load(std::memory_order_relaxed);
    s.dropped += registry_->unbound_dropped.load(std::memory_order_relaxed);
    return s;
}

}  // namespace framealloc::detail
