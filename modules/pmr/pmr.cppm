// framealloc.pmr: composition over std::pmr — standard-Allocator (non-polymorphic) wrappers
// (frame_allocator, pool_allocator) and checking_resource today;
// tagged_resource and the Boost.Container adapter arrive with their issues.
export module framealloc.pmr;
export import :frame_allocator;
export import :pool_allocator;
export import :checking_resource;
