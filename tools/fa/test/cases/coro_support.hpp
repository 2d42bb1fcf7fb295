// A minimal coroutine type and awaitable for the FA702 cases: resumed by whoever holds the handle,
// possibly in a later frame.
#pragma once

#include <coroutine>

struct frame_task {
    struct promise_type {
        frame_task get_return_object() { return {}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        std::suspend_always yield_value(int) noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() {}
    };
};

struct next_frame {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
};
