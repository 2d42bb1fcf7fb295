// Budget vocabulary shared by every budget (global, per tag, per thread frame, per thread pool): a soft
// and a hard limit, each with a policy, and the event a policy sees.
//
//   fail      the request fails with framealloc::budget_exceeded (a std::bad_alloc); nothing is allocated
//   warn      one line on stderr with the FA code, then the request goes ahead
//   callback  the budget's callback gets the event (on the allocating thread), then the request goes ahead
//   allow     the request goes ahead silently (the limit is only a tripwire for statistics)
//
// Codes: FA401 hard limit exceeded, FA402 soft limit exceeded.
module;
#include <cstddef>
#include <functional>
#include <limits>
#include <new>
#include <string>
#include <string_view>
export module framealloc.core:budget;

export namespace framealloc {

enum class budget_policy { fail, warn, callback, allow };

namespace codes {
inline constexpr std::string_view budget_hard_limit = "FA401";
inline constexpr std::string_view budget_soft_limit = "FA402";
}  // namespace codes

struct budget_event {
    std::string_view code;        // FA401 (hard) or FA402 (soft)
    std::string_view budget;      // which budget: "global", "tag <path>", "thread frame", ...
    std::size_t limit = 0;        // the limit that was crossed
    std::size_t used_after = 0;   // bytes the budget would count with this request
    std::size_t requested = 0;    // bytes of the request
};

struct budget_limits {
    std::size_t soft_limit = std::numeric_limits<std::size_t>::max();
    std::size_t hard_limit = std::numeric_limits<std::size_t>::max();
    budget_policy soft_policy = budget_policy::warn;
    budget_policy hard_policy = budget_policy::fail;
    std::function<void(const budget_event&)> callback;  // for budget_policy::callback
};

// Thrown by the `fail` policy. A std::bad_alloc, so code written for the pmr contract handles it.
class budget_exceeded : public std::bad_alloc {
public:
    explicit budget_exceeded(const budget_event& e)
        : event_(e),
          message_(std::string(e.code) + ": " + std::string(e.budget) + " budget exceeded: " +
                   std::to_string(e.used_after) + " bytes with this request of " + std::to_string(e.requested) +
                   ", limit " + std::to_string(e.limit)) {}
    [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }
    [[nodiscard]] const budget_event& event() const noexcept { return event_; }
    [[nodiscard]] std::string_view code() const noexcept { return event_.code; }

private:
    budget_event event_;
    std::string message_;
};

}  // namespace framealloc
