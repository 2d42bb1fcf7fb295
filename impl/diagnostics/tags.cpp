// The tag table (see modules/diagnostics/tags.cppm).
//
// Entries are written once, published through an atomic pointer (release) and never freed, so
// tag_path()/tag_parent() read them without a lock (acquire). Interning looks (parent, name) up in a
// map under a shared lock and inserts under the exclusive lock.
module;
#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
module framealloc.diagnostics;

import framealloc.core;

namespace framealloc {
namespace {

struct tag_entry {
    tag_id parent;
    std::string path;
};

struct child_key {
    tag_id parent;
    std::string name;
    bool operator==(const child_key&) const = default;
};
struct child_key_view {
    tag_id parent;
    std::string_view name;
};
struct child_hash {
    using is_transparent = void;
    std::size_t operator()(const child_key_view& k) const noexcept {
        return std::hash<std::string_view>{}(k.name) * 31u + k.parent;
    }
    std::size_t operator()(const child_key& k) const noexcept { return (*this)(child_key_view{k.parent, k.name}); }
};
struct child_equal {
    using is_transparent = void;
    static child_key_view view(const child_key& k) noexcept { return {k.parent, k.name}; }
    static child_key_view view(const child_key_view& k) noexcept { return k; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
        return view(a).parent == view(b).parent && view(a).name == view(b).name;
    }
};

struct tag_table {
    tag_table() { entries[0].store(new tag_entry{untagged, std::string()}, std::memory_order_release); }
    std::array<std::atomic<const tag_entry*>, max_tags> entries{};
    std::atomic<std::size_t> count{1};
    std::shared_mutex mutex;
    std::unordered_map<child_key, tag_id, child_hash, child_equal> children;
};

tag_table& table() {
    static tag_table* t = new tag_table();  // never destroyed: tags are used from thread-exit paths
    return *t;
}

// One path component under `parent`.
tag_id intern_component(tag_id parent, std::string_view name) {
    if (name.empty()) throw tag_error("framealloc: a tag name or path component is empty");
    tag_table& t = table();
    {
        std::shared_lock lock(t.mutex);
        auto it = t.children.find(child_key_view{parent, name});
        if (it != t.children.end()) return it->second;
    }
    std::unique_lock lock(t.mutex);
    auto it = t.children.find(child_key_view{parent, name});
    if (it != t.children.end()) return it->second;
    const std::size_t id = t.count.load(std::memory_order_relaxed);
    if (id >= max_tags)
        throw tag_error(std::string(codes::tag_table_full) + ": framealloc tag table is full (" +
                        std::to_string(max_tags) + " tags); cannot intern '" + std::string(name) + "'");
    const tag_entry* parent_entry = t.entries[parent].load(std::memory_order_relaxed);
    std::string path = parent == untagged ? std::string(name) : parent_entry->path + "::" + std::string(name);
    t.entries[id].store(new tag_entry{parent, std::move(path)}, std::memory_order_release);
    t.count.store(id + 1, std::memory_order_release);
    t.children.emplace(child_key{parent, std::string(name)}, static_cast<tag_id>(id));
    return static_cast<tag_id>(id);
}

const tag_entry& entry(tag_id id) {
    if (id >= tag_count()) throw tag_error("framealloc: unknown tag id " + std::to_string(id));
    return *table().entries[id].load(std::memory_order_acquire);
}

}  // namespace

tag_id child_tag(tag_id parent, std::string_view name) {
    (void)entry(parent);
    tag_id id = parent;
    for (;;) {
        const std::size_t sep = name.find("::");
        id = intern_component(id, name.substr(0, sep));
        if (sep == std::string_view::npos) return id;
        name.remove_prefix(sep + 2);
    }
}

tag_id intern_tag(std::string_view path) { return child_tag(untagged, path); }

std::string_view tag_path(tag_id id) { return entry(id).path; }
tag_id tag_parent(tag_id id) { return entry(id).parent; }
std::size_t tag_count() noexcept { return table().count.load(std::memory_order_acquire); }

bool tag_within(tag_id id, tag_id ancestor) {
    for (;;) {
        if (id == ancestor) return true;
        if (id == untagged) return false;
        id = entry(id).parent;
    }
}

tag_id current_tag() noexcept { return detail::t_diag.tag; }

scoped_tag::scoped_tag(std::string_view name) : scoped_tag(child_tag(detail::t_diag.tag, name)) {}

scoped_tag::scoped_tag(tag_id id) : id_(id), previous_(detail::t_diag.tag) {
    (void)entry(id);
    detail::switch_tag(id);
}

scoped_tag::~scoped_tag() { detail::switch_tag(previous_); }

}  // namespace framealloc
