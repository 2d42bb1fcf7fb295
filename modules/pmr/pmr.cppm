// framealloc.pmr: composition over std::pmr — standard-Allocator (non-polymorphic) wrappers
// (frame_allocator, pool_allocator) and tagged_resource; checking_resource and the Boost.Container
// adapter arrive with their issues.
export module framealloc.pmr;
export import :frame_allocator;
export import :pool_allocator;
export import :tagged_resource;
