// Named scratch arenas (see modules/arena/scratch_arena.cppm).
module;
#include <cstddef>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
module framealloc.arena;

import framealloc.core;

namespace framealloc {

scratch_arena::scratch_arena(std::string name, const frame_arena_options& options, std::pmr::memory_resource* upstream)
    : name_(std::move(name)), arena_(options, upstream) {}

void* detail::serialised_upstream::do_allocate(std::size_t bytes, std::size_t alignment) {
    std::lock_guard lock(mutex_);
    return upstream_->allocate(bytes, alignment);
}

void detail::serialised_upstream::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
    std::lock_guard lock(mutex_);
    upstream_->deallocate(p, bytes, alignment);
}

scratch_registry::scratch_registry(const frame_arena_options& options, std::pmr::memory_resource* upstream)
    : options_(options), upstream_(upstream != nullptr ? upstream : std::pmr::new_delete_resource()) {
    frame_arena probe(options_, &upstream_);  // config_error (FA002) now rather than at the first scratch()
}

scratch_registry::~scratch_registry() = default;

scratch_arena& scratch_registry::get(std::string_view name) {
    std::lock_guard lock(mutex_);
    if (auto it = arenas_.find(name); it != arenas_.end()) return *it->second;
    auto fresh = std::make_unique<scratch_arena>(std::string(name), options_, &upstream_);
    scratch_arena& arena = *fresh;
    arenas_.emplace(std::string(name), std::move(fresh));
    return arena;
}

scratch_arena* scratch_registry::find(std::string_view name) const {
    std::lock_guard lock(mutex_);
    auto it = arenas_.find(name);
    return it != arenas_.end() ? it->second.get() : nullptr;
}

std::vector<std::string> scratch_registry::names() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    out.reserve(arenas_.size());
    for (const auto& [name, arena] : arenas_) out.push_back(name);
    return out;
}

}  // namespace framealloc
