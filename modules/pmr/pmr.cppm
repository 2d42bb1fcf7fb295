// framealloc.pmr: composition over std::pmr — standard-Allocator (non-polymorphic) wrappers
// (frame_allocator, pool_allocator), tagged_resource and checking_resource; the Boost.Container
// adapter arrives with its issue.
export module framealloc.pmr;
export import :frame_allocator;
export import :pool_allocator;
export import :tagged_resource;
export import :checking_resource;
