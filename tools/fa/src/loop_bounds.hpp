// What bounds a loop's trip count, for the checks on allocation in loops (FA607, FA301).
//   constant   a compile-time bound: `i < 16`, `i < kCount` (constexpr), a range-for over a C array,
//              a std::array or a braced list
//   local      data-dependent, from a value this function computes (or no bound: `while (true)`)
//   external   data-dependent, from outside the function: a parameter, a member, a global (directly or
//              through locals initialised from one): `i < n`, `i < items.size()`, `for (x : items_)`
#pragma once

#include "function_model.hpp"

#include <string>

namespace fa {

enum class trip_count { constant, local, external };

struct loop_bound {
    trip_count kind = trip_count::constant;
    std::string source;  // "parameter 'n'", "member 'items_'", "global 'g_count'" when external
};

// The body of a for / while / do / range-for loop, or null when `s` is no loop.
[[nodiscard]] const clang::Stmt* loop_body(const clang::Stmt* s);
[[nodiscard]] loop_bound bound_of(const function_model& m, const clang::Stmt* loop);
// The loops that enclose `s`, innermost first, up to the function or the lambda `s` is written in; loops
// written by a macro expansion are left out.
[[nodiscard]] std::vector<const clang::Stmt*> enclosing_loops(const function_model& m, const clang::Stmt* s);
// A frame_scope variable declared inside `loop` (before `s`, in a block that encloses `s`).
[[nodiscard]] bool scoped_in_loop(const function_model& m, const clang::Stmt* loop, const clang::Stmt* s);
// begin_frame() / end_frame() / frame_arena::reset() in the loop: each iteration is a frame of its own.
[[nodiscard]] bool frame_loop(const function_model& m, const clang::Stmt* loop);

}  // namespace fa
